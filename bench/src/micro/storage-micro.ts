import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import WebSocket from "ws";
import { createCohortClient } from "@cohort/sdk";
import { LocalBlobStore, ProjectFiles, RedisFileStore, type BlobStore } from "@cohort/storage";
import type { Db } from "@cohort/db";
import { seedLesson } from "../cohort/seed.js";
import { percentile } from "./percentile.js";
import { buildZip, sourceText } from "./zip.js";

export interface MicroResult {
  name: string;
  /** What was measured, e.g. "2,000 files / 20 MB". */
  detail: string;
  /** Milliseconds. */
  value: number;
  /** e.g. "time", "p99". */
  metric: string;
  target: number;
  met: boolean;
  extra?: Record<string, number> | undefined;
}

/** The template of the issue: `files` files adding up to `bytes`, in 20 folders. */
export function templateOf(files: number, bytes: number) {
  const each = Math.floor(bytes / files);
  return Array.from({ length: files }, (_, i) => ({ path: `src/pkg${i % 20}/module_${i}.py`, content: sourceText(each, i + 1) }));
}

const time = async <T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const started = performance.now();
  const value = await work();
  return { ms: Math.round((performance.now() - started) * 10) / 10, value };
};

/**
 * Issue 3's storage benchmarks, in this process against the machine's Redis and a temporary blob
 * folder: applying a 2,000-file / 20 MB template to a new project (cold, then with the unpacked
 * template cached), and a backup plus restore of that project.
 */
export async function runStorageMicro({ redisUrl, prefix, files, bytes }: { redisUrl: string; prefix: string; files: number; bytes: number }): Promise<MicroResult[]> {
  const redis = new Redis(redisUrl);
  const dir = await mkdtemp(path.join(os.tmpdir(), "cohort-bench-blobs-"));
  try {
    const blobs: BlobStore = new LocalBlobStore({ dir });
    const store = new RedisFileStore({ redis, blobs, prefix });
    const projects = new ProjectFiles({ store, blobs });
    const zip = await buildZip(templateOf(files, bytes));
    const templateKey = "templates/bench-20mb.zip";
    await blobs.put(templateKey, zip);
    const detail = `${files.toLocaleString("en")} files / ${Math.round(bytes / 1024 / 1024)} MB (zip ${Math.round(zip.length / 1024 / 1024)} MB)`;
    const cold = await time(() => projects.ensureLoaded({ lessonId: 1, ownerId: 1 }, { templateKey }));
    const warm = await time(() => projects.ensureLoaded({ lessonId: 1, ownerId: 2 }, { templateKey }));
    const ref = { lessonId: 1, ownerId: 1 };
    const backup = await time(() => projects.backup(ref));
    const restore = await time(() => projects.restore(ref));
    const listed = await projects.list(ref);
    const total = Math.round((backup.ms + restore.ms) * 10) / 10;
    return [
      { name: "template apply (cold)", detail, value: cold.ms, metric: "time", target: 2_000, met: cold.ms <= 2_000 },
      { name: "template apply (template cached)", detail, value: warm.ms, metric: "time", target: 2_000, met: warm.ms <= 2_000 },
      {
        name: "backup + restore",
        detail: `${listed.entries.length.toLocaleString("en")} entries / ${Math.round(listed.totalSize / 1024 / 1024)} MB`,
        value: total,
        metric: "time",
        target: 3_000,
        met: total <= 3_000,
        extra: { backupMs: backup.ms, restoreMs: restore.ms },
      },
    ];
  } finally {
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `files.list` of a 5,000-file project through the real server (tRPC over WebSocket, the SDK),
 * called one after another: p50/p99/max of the round trip.
 */
export async function runListMicro(input: { db: Db; wsUrl: string; blobDir: string; files: number; calls: number }): Promise<MicroResult> {
  const blobs = new LocalBlobStore({ dir: input.blobDir });
  const templateKey = `templates/bench-list-${input.files}.zip`;
  await blobs.put(templateKey, await buildZip(Array.from({ length: input.files }, (_, i) => ({ path: `file_${String(i).padStart(5, "0")}.txt`, content: `line ${i}\n` }))));
  const lesson = await seedLesson(input.db, { students: 1, templateKey });
  const client = createCohortClient({ url: input.wsUrl, token: lesson.teacher.token, WebSocket });
  try {
    await client.api.lesson.join.mutate({ lessonId: lesson.lessonId });
    const ref = { lessonId: lesson.lessonId, ownerId: lesson.teacher.participantId };
    const first = await client.api.files.list.query(ref);
    const payloadKb = Math.round(Buffer.byteLength(JSON.stringify(first)) / 1024);
    const times: number[] = [];
    for (let i = 0; i < input.calls; i++) times.push((await time(() => client.api.files.list.query(ref))).ms);
    times.sort((a, b) => a - b);
    const at = (p: number) => percentile(times, p);
    return {
      name: "files.list",
      detail: `${first.entries.length.toLocaleString("en")}-file project, ${input.calls} calls over the SDK`,
      value: at(99),
      metric: "p99",
      target: 20,
      met: at(99) <= 20,
      extra: { p50: at(50), p99: at(99), max: times.at(-1) ?? 0, payloadKb },
    };
  } finally {
    await client.close();
  }
}
