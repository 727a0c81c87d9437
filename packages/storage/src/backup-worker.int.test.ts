import { randomBytes } from "node:crypto";
import { startTcpProxy } from "@cohort/test-support/tcp-proxy";
import { afterEach, describe, expect, it } from "vitest";
import { BackupWorker } from "./backup-worker.js";
import { backupPrefix } from "./keys.js";
import { createFilesFixture, type FilesFixture } from "./test/files-fixture.js";
import { randomRef } from "./test/redis-test-context.js";
import { startS3rver } from "./test/start-s3rver.js";

let f: FilesFixture;
const workers: BackupWorker[] = [];
/** Servers and proxies a test started, closed after it whatever happened. */
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await f?.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function worker(options: Partial<ConstructorParameters<typeof BackupWorker>[0]> = {}): BackupWorker {
  const w = new BackupWorker({ redis: f.redis, files: f.files, idleMs: 100, intervalMs: 50, lockTtlMs: 5_000, retryDelayMs: 100, ...options });
  workers.push(w);
  return w;
}

async function loadedProject(path = "a.txt") {
  const ref = randomRef();
  await f.files.ensureLoaded(ref, { templateKey: null });
  await f.files.write(ref, path, Buffer.from("content"), { create: true });
  return ref;
}

describe("BackupWorker", () => {
  it("backs up and evicts idle projects, leaves active ones (found by SCAN)", async () => {
    f = await createFilesFixture();
    const idle = await loadedProject();
    const active = await loadedProject();
    await sleep(1_100);
    await f.files.touch(active);
    const report = await worker({ idleMs: 1_000, activeBackupMs: 0 }).runOnce();
    expect(report).toMatchObject({ ran: true, evicted: 1, failed: 0 });
    expect(await f.files.store.isLoaded(idle)).toBe(false);
    expect(await f.files.store.isLoaded(active)).toBe(true);
    expect(await f.files.latestBackup(idle)).not.toBeNull();
    expect(await f.files.latestBackup(active)).toBeNull();
    expect((await f.files.read(idle, "a.txt")).content.toString()).toBe("content");
  });

  it("backs up (without evicting) a project in use whose last backup is stale", async () => {
    f = await createFilesFixture();
    const busy = await loadedProject();
    const report = await worker({ idleMs: 60_000, activeBackupMs: 1 }).runOnce();
    expect(report).toMatchObject({ evicted: 0, backedUp: 1 });
    expect(await f.files.store.isLoaded(busy)).toBe(true);
    expect(await f.files.latestBackup(busy)).not.toBeNull();
    // Unchanged since: nothing to do.
    expect(await worker({ idleMs: 60_000, activeBackupMs: 1 }).runOnce()).toMatchObject({ backedUp: 0 });
  });

  it("runs on one instance at a time", async () => {
    f = await createFilesFixture();
    const slowList = async () => {
      await sleep(200);
      return [];
    };
    const [a, b] = await Promise.all([worker({ listCandidates: slowList }).runOnce(), worker({ listCandidates: slowList }).runOnce()]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect((await worker({ listCandidates: slowList }).runOnce()).ran).toBe(true);
  });

  it("never evicts after a failed backup, and retries with backoff", async () => {
    f = await createFilesFixture();
    const ref = await loadedProject();
    await sleep(150);
    let broken = true;
    f.blobs.before.put = (key) => {
      if (broken && key.startsWith("backups/")) throw new Error("S3 unavailable");
    };
    const errors: unknown[] = [];
    const w = worker({ listCandidates: async () => [ref], retryDelayMs: 500, onError: (error) => errors.push(error) });
    expect(await w.runOnce()).toMatchObject({ failed: 1, evicted: 0 });
    expect(await f.files.store.isLoaded(ref)).toBe(true);
    expect(await w.runOnce()).toMatchObject({ deferred: 1, failed: 0 });
    await sleep(550);
    expect(await w.runOnce()).toMatchObject({ failed: 1 });
    expect(await w.runOnce()).toMatchObject({ deferred: 1 }); // now waits 1 s
    expect(errors).toHaveLength(2);
    broken = false;
    await sleep(1_050);
    expect(await w.runOnce()).toMatchObject({ evicted: 1, failed: 0 });
    expect(await f.files.store.isLoaded(ref)).toBe(false);
  });

  it("on a real S3 server cut off during a backup: evicts nothing, retries with backoff, then backs up, evicts and restores byte-identical", async () => {
    const s3 = await startS3rver();
    cleanups.push(() => s3.close());
    // The worker reaches S3 through a proxy the test can cut: every connection is reset, as
    // when the server goes away (the S3 server itself keeps its data, as S3 would).
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(s3.endpoint).port) });
    cleanups.push(() => proxy.close());
    f = await createFilesFixture({ blobStore: s3.createStore(`http://127.0.0.1:${proxy.port}`) });
    const ref = randomRef();
    await f.files.ensureLoaded(ref, { templateKey: null });
    const contents = new Map([
      ["main.py", Buffer.from("print('hi')\n")],
      ["data/blob.bin", randomBytes(300_000)], // past maxInlineBytes (256 KiB): its content lives in S3 too
      ["data/é ü.txt", Buffer.from("ünïcödé\n")],
    ]);
    for (const [path, content] of contents) await f.files.write(ref, path, content, { create: true });
    const keysBefore = (await f.keysLeft(ref)).sort();

    // Cut the server off once a backup has begun: the worker has zipped the project and starts
    // its upload, which then meets a dead connection (the hook only picks the moment).
    f.blobs.before.put = (key) => {
      if (key.startsWith("backups/")) proxy.block();
    };
    const failures: { at: number; error: unknown }[] = [];
    const retryDelayMs = 400;
    const w = worker({ listCandidates: async () => [ref], idleMs: 100, intervalMs: 50, retryDelayMs, onError: (error) => failures.push({ at: Date.now(), error }) });
    await sleep(150); // idle: only the blob store stands between the project and its eviction
    w.start();
    const deadline = Date.now() + 15_000;
    while (failures.length < 4 && Date.now() < deadline) await sleep(20);
    expect(failures.length).toBeGreaterThanOrEqual(4);
    // Nothing evicted: every key of the project still in Redis.
    expect(await f.files.store.isLoaded(ref)).toBe(true);
    expect((await f.keysLeft(ref)).sort()).toEqual(keysBefore);
    // Backoff: each wait at least double the one before (400, 800, 1600 ms), plus at most a run
    // interval and the S3 client's own retries of the failed call.
    const gaps = failures.slice(1, 4).map((failure, i) => failure.at - failures[i]!.at);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(retryDelayMs * 2 ** i);
      expect(gap).toBeLessThan(retryDelayMs * 2 ** i + 2_000);
    });

    f.blobs.before.put = undefined;
    proxy.unblock();
    const back = Date.now() + 15_000;
    while ((await f.files.store.isLoaded(ref)) && Date.now() < back) await sleep(50);
    expect(await f.files.store.isLoaded(ref)).toBe(false);
    await w.stop();
    // The backup is on the S3 server itself (read past the proxy), and restores byte-identical.
    expect((await s3.createStore().list(backupPrefix(ref))).length).toBeGreaterThan(0);
    await f.files.ensureLoaded(ref, { templateKey: null });
    for (const [path, content] of contents) expect((await f.files.read(ref, path)).content.equals(content), path).toBe(true);
    expect((await f.files.list(ref)).entries.filter((e) => e.type === "file").map((e) => e.path).sort()).toEqual([...contents.keys()].sort());
  });

  it("runs on its interval once started, and stops", async () => {
    f = await createFilesFixture();
    const ref = await loadedProject();
    const w = worker({ idleMs: 100, intervalMs: 50 });
    w.start();
    const deadline = Date.now() + 5_000;
    while ((await f.files.store.isLoaded(ref)) && Date.now() < deadline) await sleep(50);
    expect(await f.files.store.isLoaded(ref)).toBe(false);
    await w.stop();
  });
});
