// Shared setup of integration tests: the machine's real Redis, a per-run key prefix from the
// global setup, random project ids per test, and a temp folder for blobs.
import { randomInt, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { testEnv } from "@cohort/test-support";
import { Redis } from "ioredis";
import { inject } from "vitest";
import { LocalBlobStore } from "../blob/local-blob-store.js";
import { projectTag } from "../keys.js";
import type { ProjectRef } from "../tree-entry.js";

export function createTestRedis(): Redis {
  return new Redis(testEnv().redisUrl, { maxRetriesPerRequest: 3 });
}

/** Key prefix for this run (and package), so runs and other packages never collide. */
export function testPrefix(): string {
  return `${inject("redisPrefix")}storage:`;
}

/** A key space of its own for one fixture, removable as a whole with {@link deleteKeys}. */
export function fixturePrefix(): string {
  return `${testPrefix()}${randomUUID().slice(0, 8)}:`;
}

/** Removes every key under `prefix` (test cleanup; the shared Redis outlives the run). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== "0");
}

export function randomRef(): ProjectRef {
  return { lessonId: randomInt(1, 2 ** 31), ownerId: randomInt(1, 2 ** 31) };
}

/** Every Redis key of one project (to prove an operation left nothing behind). */
export async function projectKeysIn(redis: Redis, prefix: string, ref: ProjectRef): Promise<string[]> {
  const pattern = `${prefix}${projectTag(ref)}*`.replace(/[[\]]/g, "\\$&");
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  return keys;
}

export interface TempBlobs {
  dir: string;
  blobs: LocalBlobStore;
  cleanup(): Promise<void>;
}

export async function createTempBlobs(): Promise<TempBlobs> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cohort-storage-"));
  return { dir, blobs: new LocalBlobStore({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
}
