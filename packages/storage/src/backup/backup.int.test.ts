import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BlobStore } from "../blob/blob-store.js";
import { isStorageError } from "../errors.js";
import { createFilesFixture, type FilesFixture } from "../test/files-fixture.js";
import { sampleTree, treeSummary } from "../test/sample-tree.js";
import { startS3rver, type S3rverResource } from "../test/start-s3rver.js";
import { writeProjectZip } from "../zip/write-project-zip.js";

let f: FilesFixture;
let s3: S3rverResource;

beforeAll(async () => {
  s3 = await startS3rver();
});

afterAll(async () => {
  await s3?.close();
});

afterEach(async () => {
  await f?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  ["a local folder", () => undefined],
  ["S3 (s3rver)", (): BlobStore => s3.createStore()],
])("round trip through %s", (_name, blobStore) => {
  it("template → project → edits → backup → evict → restore is byte-identical", async () => {
    f = await createFilesFixture({ blobStore: blobStore(), limits: { maxInlineBytes: 10_000 } });
    await f.blobs.put("templates/round-trip.zip", await writeProjectZip(sampleTree()));
    expect((await f.files.ensureLoaded(f.ref, { templateKey: "templates/round-trip.zip" })).templateApplied).toBe(true);

    await f.files.write(f.ref, "src/main.py", Buffer.from("print('edited ✓')\n"));
    await f.files.write(f.ref, "assets/new.bin", randomBytes(30_000), { create: true }); // a blob-backed file
    await f.files.create(f.ref, { path: "ещё/空/папка", type: "directory" });
    await f.files.create(f.ref, { path: "ещё/файл.txt", type: "file", content: Buffer.from("Привет") });
    await f.files.rename(f.ref, "src/ünïcödé", "src/renamed ü");
    await f.files.delete(f.ref, "README.md");
    const before = await f.files.store.exportTree(f.ref);

    const result = await f.files.backupAndEvictIfIdle(f.ref, { idleMs: 0 });
    expect(result.status).toBe("evicted");
    expect(result.backup).toMatchObject({ version: before.version });
    expect(await f.keysLeft()).toEqual([]);
    expect(await f.blobs.list(`projects/l${f.ref.lessonId}/p${f.ref.ownerId}/`)).toEqual([]);

    expect(await f.files.ensureLoaded(f.ref)).toEqual({ restored: true, templateApplied: false });
    const after = await f.files.store.exportTree(f.ref);
    expect(treeSummary(after.entries)).toEqual(treeSummary(before.entries));
    expect(after.entries.map((e) => e.path)).toContain("ещё/空/папка");
    expect(after.version).toBe(before.version);
    expect((await f.files.read(f.ref, "assets/new.bin")).content.equals(before.entries.find((e) => e.path === "assets/new.bin")?.content as Buffer)).toBe(true);
  });
});

describe("backups", () => {
  it("keep the configured number of versions, newest first", async () => {
    f = await createFilesFixture();
    const files = f.instance({ backupVersions: 3 });
    await files.ensureLoaded(f.ref, { templateKey: null });
    const made = [];
    for (let i = 0; i < 5; i++) {
      await files.write(f.ref, "n.txt", Buffer.from(String(i)), { create: true });
      made.push(await files.backup(f.ref));
      await sleep(2); // distinct timestamps
    }
    const kept = await files.listBackups(f.ref);
    expect(kept.map((b) => b.key)).toEqual(made.slice(2).reverse().map((b) => b.key));
    expect((await files.latestBackup(f.ref))?.version).toBe(made[4]?.version);
    expect(made[4]?.key).toMatch(new RegExp(`^backups/l${f.ref.lessonId}/p${f.ref.ownerId}/\\d{8}T\\d{9}Z-v${made[4]?.version}\\.zip$`));
    expect((await files.store.activity(f.ref))?.backupVersion).toBe(made[4]?.version);
  });

  it("a failed verification throws, deletes the upload and evicts nothing", async () => {
    f = await createFilesFixture();
    await f.files.ensureLoaded(f.ref, { templateKey: null });
    await f.files.write(f.ref, "a.txt", Buffer.from("a"), { create: true });
    f.blobs.rewriteHead = (key, head) => (key.startsWith("backups/") && head ? { ...head, sha256: "0".repeat(64) } : head);
    await expect(f.files.backupAndEvictIfIdle(f.ref, { idleMs: 0 })).rejects.toSatisfy((e) => isStorageError(e, "BLOB_VERIFY_FAILED"));
    expect(await f.files.store.isLoaded(f.ref)).toBe(true);
    expect(await f.files.listBackups(f.ref)).toEqual([]);
  });

  it("a failed upload throws and evicts nothing", async () => {
    f = await createFilesFixture();
    await f.files.ensureLoaded(f.ref, { templateKey: null });
    f.blobs.before.put = (key) => {
      if (key.startsWith("backups/")) throw new Error("network down");
    };
    await expect(f.files.backupAndEvictIfIdle(f.ref, { idleMs: 0 })).rejects.toThrow("network down");
    expect(await f.files.store.isLoaded(f.ref)).toBe(true);
  });

  it("an edit that lands during a backup is never lost: the project is kept", async () => {
    f = await createFilesFixture();
    await f.files.ensureLoaded(f.ref, { templateKey: null });
    await f.files.write(f.ref, "doc.txt", Buffer.from("before"), { create: true });
    f.blobs.before.put = async (key) => {
      if (key.startsWith("backups/")) await f.files.write(f.ref, "doc.txt", Buffer.from("during"));
    };
    const result = await f.files.backupAndEvictIfIdle(f.ref, { idleMs: 0 });
    expect(result.status).toBe("kept");
    expect((await f.files.read(f.ref, "doc.txt")).content.toString()).toBe("during");
    f.blobs.before.put = undefined;
    expect((await f.files.backupAndEvictIfIdle(f.ref, { idleMs: 0 })).status).toBe("evicted");
    expect((await f.files.read(f.ref, "doc.txt")).content.toString()).toBe("during");
  });

  it("a ping during a backup keeps the project too", async () => {
    f = await createFilesFixture();
    await f.files.ensureLoaded(f.ref, { templateKey: null });
    await sleep(550);
    f.blobs.before.put = async (key) => {
      if (key.startsWith("backups/")) await f.files.touch(f.ref);
    };
    expect((await f.files.backupAndEvictIfIdle(f.ref, { idleMs: 500 })).status).toBe("kept");
    expect(await f.files.store.isLoaded(f.ref)).toBe(true);
  });

  it("edits racing backups and evictions are never lost", async () => {
    f = await createFilesFixture();
    const other = f.instance();
    await f.files.ensureLoaded(f.ref, { templateKey: null });
    const statuses: string[] = [];
    for (let i = 0; i < 25; i++) {
      const [, evictResult] = await Promise.all([
        other.write(f.ref, `edit-${i}.txt`, Buffer.from(`edit ${i}`), { create: true }),
        f.files.backupAndEvictIfIdle(f.ref, { idleMs: 0 }),
      ]);
      statuses.push(evictResult.status);
    }
    // The race really happened both ways (evicted, and restored by the next write).
    expect(statuses).toContain("evicted");
    const { entries } = await f.files.list(f.ref);
    expect(entries.map((e) => e.path).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `edit-${i}.txt`).sort());
    for (let i = 0; i < 25; i += 6) expect((await f.files.read(f.ref, `edit-${i}.txt`)).content.toString()).toBe(`edit ${i}`);
  });

  it("leaves active and unloaded projects alone", async () => {
    f = await createFilesFixture();
    expect(await f.files.backupAndEvictIfIdle(f.ref, { idleMs: 0 })).toEqual({ status: "not-loaded" });
    await f.files.ensureLoaded(f.ref, { templateKey: null });
    expect(await f.files.backupAndEvictIfIdle(f.ref, { idleMs: 60_000 })).toEqual({ status: "active" });
    expect(await f.files.listBackups(f.ref)).toEqual([]);
  });

  it("restore replaces the content with a chosen backup", async () => {
    f = await createFilesFixture();
    await expect(f.files.restore(f.ref)).rejects.toSatisfy((e) => isStorageError(e, "BACKUP_NOT_FOUND"));
    await f.files.ensureLoaded(f.ref, { templateKey: null });
    await f.files.write(f.ref, "a.txt", Buffer.from("one"), { create: true });
    const first = await f.files.backup(f.ref);
    await f.files.write(f.ref, "a.txt", Buffer.from("two"));
    await f.files.create(f.ref, { path: "b.txt", type: "file" });
    const current = (await f.files.store.version(f.ref)) as number;
    const restored = await f.files.restore(f.ref, { key: first.key });
    expect(restored).toMatchObject({ key: first.key, entries: 1 });
    expect(restored.version).toBeGreaterThan(current);
    expect((await f.files.list(f.ref)).entries.map((e) => e.path)).toEqual(["a.txt"]);
    expect((await f.files.read(f.ref, "a.txt")).content.toString()).toBe("one");
    await expect(f.files.restore(f.ref, { key: "backups/l1/p1/x.zip" })).rejects.toSatisfy((e) => isStorageError(e, "BACKUP_NOT_FOUND"));
  });
});
