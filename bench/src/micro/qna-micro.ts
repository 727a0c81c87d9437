import { performance } from "node:perf_hooks";
import pg from "pg";
import WebSocket from "ws";
import { createCohortClient, type CohortClient } from "@cohort/sdk";
import type { Db } from "@cohort/db";
import { seedLesson } from "../cohort/seed.js";
import type { MicroResult } from "./storage-micro.js";

/** Runs `work` over items, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

/** Committed transactions of the database so far (autocommit statements count one each). */
async function transactions(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // An idle backend flushes its counters within 10 s (PostgreSQL 15's PGSTAT_IDLE_INTERVAL).
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const { rows } = await client.query<{ n: string }>("SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()");
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * Issue 5's benchmark: `qna.list` of a whole lesson with `threads` threads and `comments` comments,
 * as the teacher (in every access list). Threads are created through the API on real files (so
 * their anchors are real); the extra comments are inserted in bulk. Reports p50/p99 over `calls`
 * sequential calls and the database transactions per call (from pg_stat_database, minus an idle
 * period of the same length: an estimate of the statements one list costs).
 */
export async function runQnaMicro(input: { db: Db; databaseUrl: string; wsUrl: string; threads: number; comments: number; calls: number }): Promise<MicroResult> {
  const filesPerStudent = 4;
  const threadsPerFile = 10;
  const students = Math.ceil(input.threads / (filesPerStudent * threadsPerFile));
  const lesson = await seedLesson(input.db, { students });
  const teacherId = lesson.teacher.participantId;
  const fileText = Array.from({ length: 60 }, (_, i) => `line ${i + 1}: total = total + value_${i}`).join("\n") + "\n";
  const clients: CohortClient[] = [];
  try {
    const threadIds: number[] = [];
    await eachLimited(lesson.students, 8, async (student) => {
      const client = createCohortClient({ url: input.wsUrl, token: student.token, WebSocket });
      clients.push(client);
      await client.api.lesson.join.mutate({ lessonId: lesson.lessonId });
      for (let f = 0; f < filesPerStudent; f++) {
        const path = `src/task${f}.py`;
        await client.api.files.create.mutate({ lessonId: lesson.lessonId, ownerId: student.participantId, path, type: "file", content: fileText });
        for (let t = 0; t < threadsPerFile && threadIds.length < input.threads; t++) {
          const thread = await client.api.qna.create.mutate({
            lessonId: lesson.lessonId,
            ref: { ownerId: student.participantId, path, lines: { start: 1 + t * 5, end: 3 + t * 5 } },
            acl: [teacherId],
            content: `Why does line ${1 + t * 5} not add up? I tried **twice**.`,
          });
          threadIds.push(thread.id);
        }
      }
    });
    const extra = Math.max(0, input.comments - threadIds.length);
    for (let i = 0; i < extra; i += 2_000) {
      await input.db.qnaComment.createMany({
        data: Array.from({ length: Math.min(2_000, extra - i) }, (_, k) => ({
          threadId: threadIds[(i + k) % threadIds.length]!,
          authorId: teacherId,
          content: `Look at the loop bounds: \`range(n)\` stops before n. (${i + k})`,
        })),
      });
    }
    const teacher = createCohortClient({ url: input.wsUrl, token: lesson.teacher.token, WebSocket });
    clients.push(teacher);
    const first = await teacher.api.qna.list.query({ lessonId: lesson.lessonId });
    const commentCount = first.reduce((sum, t) => sum + t.comments.length, 0);
    const payloadKb = Math.round(Buffer.byteLength(JSON.stringify(first)) / 1024);
    const idleStart = await transactions(input.databaseUrl);
    const times: number[] = [];
    const started = performance.now();
    for (let i = 0; i < input.calls; i++) {
      const t0 = performance.now();
      await teacher.api.qna.list.query({ lessonId: lesson.lessonId });
      times.push(Math.round((performance.now() - t0) * 10) / 10);
    }
    const busyMs = performance.now() - started;
    const afterCalls = await transactions(input.databaseUrl);
    // The same time idle: what the server does anyway (backups, presence) is not the list's.
    await new Promise((resolve) => setTimeout(resolve, busyMs));
    const afterIdle = await transactions(input.databaseUrl);
    const perCall = Math.max(0, afterCalls - idleStart - 1 - Math.max(0, afterIdle - afterCalls - 1)) / input.calls;
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? 0;
    return {
      name: "qna.list",
      detail: `${first.length.toLocaleString("en")} threads / ${commentCount.toLocaleString("en")} comments, whole lesson as the teacher, ${input.calls} calls; ≈ ${perCall.toFixed(1)} DB transactions per call`,
      value: at(99),
      metric: "p99",
      target: 30,
      met: at(99) <= 30,
      extra: { p50: at(50), p99: at(99), max: times.at(-1) ?? 0, dbTransactionsPerCall: Math.round(perCall * 10) / 10, payloadKb },
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}
