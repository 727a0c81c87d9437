import { performance } from "node:perf_hooks";
import pg from "pg";
import WebSocket from "ws";
import { createCohortClient, qnaThreadPages, type CohortClient } from "@cohort/sdk";
import type { Db } from "@cohort/db";
import { seedLesson } from "../cohort/seed.js";
import { sampleProcess } from "../proc/proc-stats.js";
import { percentile } from "./percentile.js";
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
 * Database transactions per call of `work` (which says how many calls it made): counted in
 * pg_stat_database, minus an idle period of the same length (what the server does anyway, such as
 * backups and presence, is not the list's) and the counter reads' own.
 */
async function transactionsPerCall(databaseUrl: string, work: () => Promise<number>): Promise<number> {
  const before = await transactions(databaseUrl);
  const started = performance.now();
  const calls = await work();
  const busyMs = performance.now() - started;
  const afterCalls = await transactions(databaseUrl);
  await new Promise((resolve) => setTimeout(resolve, busyMs));
  const afterIdle = await transactions(databaseUrl);
  const perCall = Math.max(0, afterCalls - before - 1 - Math.max(0, afterIdle - afterCalls - 1)) / calls;
  return Math.round(perCall * 10) / 10;
}

const elapsedMs = (started: number) => Math.round((performance.now() - started) * 10) / 10;

/**
 * CPU the server process used per call while `work` made `calls` calls (ms): unlike wall time it
 * barely moves when other processes compete for the cores.
 */
async function serverCpuMsPerCall(pid: number, work: () => Promise<number>): Promise<number> {
  const before = sampleProcess(pid)?.cpuSeconds ?? 0;
  const calls = await work();
  const after = sampleProcess(pid)?.cpuSeconds ?? before;
  return Math.round(((after - before) * 1000 * 10) / calls) / 10;
}

/**
 * Issue 5's benchmark: `qna.list` of a lesson with `threads` threads and `comments` comments, as the
 * teacher (in every access list). Threads are created through the API on real files (so their
 * anchors are real); the extra comments are inserted in bulk. The target applies to one call, a
 * page: p50/p99 of the first page (the default limit) over `calls` sequential calls. Also measured:
 * the time to walk every page of the lesson (`walks` times, each checked to return every thread
 * once), the database transactions and the server's CPU per call of both.
 */
export async function runQnaMicro(input: {
  db: Db;
  databaseUrl: string;
  wsUrl: string;
  serverPid: number;
  threads: number;
  comments: number;
  calls: number;
  walks: number;
}): Promise<MicroResult> {
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
    const payloadKb = Math.round(Buffer.byteLength(JSON.stringify(first)) / 1024);

    const times: number[] = [];
    let serverCpuMs = 0;
    const dbTransactionsPerCall = await transactionsPerCall(input.databaseUrl, async () => {
      serverCpuMs = await serverCpuMsPerCall(input.serverPid, async () => {
        for (let i = 0; i < input.calls; i++) {
          const started = performance.now();
          await teacher.api.qna.list.query({ lessonId: lesson.lessonId });
          times.push(elapsedMs(started));
        }
        return input.calls;
      });
      return input.calls;
    });
    times.sort((a, b) => a - b);

    const walkTimes: number[] = [];
    let pages = 0;
    let commentCount = 0;
    const dbTransactionsPerPage = await transactionsPerCall(input.databaseUrl, async () => {
      for (let w = 0; w < input.walks; w++) {
        const seen = new Set<number>();
        pages = 0;
        commentCount = 0;
        const started = performance.now();
        for await (const page of qnaThreadPages(teacher.api, { lessonId: lesson.lessonId })) {
          pages++;
          for (const thread of page) {
            if (seen.has(thread.id)) throw new Error(`qna.list walk returned thread ${thread.id} twice`);
            seen.add(thread.id);
            commentCount += thread.comments.length;
          }
        }
        walkTimes.push(elapsedMs(started));
        if (seen.size !== threadIds.length) throw new Error(`qna.list walk returned ${seen.size} of ${threadIds.length} threads`);
      }
      return input.walks * pages;
    });
    walkTimes.sort((a, b) => a - b);

    const p99 = percentile(times, 99);
    return {
      name: "qna.list",
      detail:
        `${threadIds.length.toLocaleString("en")} threads / ${commentCount.toLocaleString("en")} comments as the teacher: first page of ${first.length} (${input.calls} calls);` +
        ` all ${pages} pages walked ${input.walks} times; ≈ ${dbTransactionsPerCall} DB transactions per call`,
      value: p99,
      metric: "p99",
      target: 30,
      met: p99 <= 30,
      extra: {
        p50: percentile(times, 50),
        p99,
        max: times.at(-1) ?? 0,
        dbTransactionsPerCall,
        serverCpuMs,
        payloadKb,
        walkMsP50: percentile(walkTimes, 50),
        walkMsMax: walkTimes.at(-1) ?? 0,
        pages,
        dbTransactionsPerPage,
      },
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}
