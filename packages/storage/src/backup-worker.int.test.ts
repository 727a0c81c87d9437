import { afterEach, describe, expect, it } from "vitest";
import { BackupWorker } from "./backup-worker.js";
import { createFilesFixture, type FilesFixture } from "./test/files-fixture.js";
import { randomRef } from "./test/redis-test-context.js";

let f: FilesFixture;
const workers: BackupWorker[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await f?.close();
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
