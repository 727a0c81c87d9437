import { afterEach, describe, expect, it } from "vitest";
import { isStorageError, type StorageError, type TemplateInvalidReason } from "./errors.js";
import { createFilesFixture, type FilesFixture } from "./test/files-fixture.js";
import { randomRef } from "./test/redis-test-context.js";
import { sampleTree, treeSummary } from "./test/sample-tree.js";
import { readTemplateZip } from "./zip/read-template-zip.js";
import { writeProjectZip } from "./zip/write-project-zip.js";
import { buildStreamedZip, buildZip, patchBytes } from "./zip/zip-fixtures.js";

let f: FilesFixture;

afterEach(async () => {
  await f?.close();
});

async function uploadTemplate(key = "templates/lesson.zip", tree = sampleTree()) {
  await f.blobs.put(key, await writeProjectZip(tree));
  return { key, tree };
}

async function refusal(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e,
  );
  if (!isStorageError(error)) throw error;
  return error;
}

describe("ProjectFiles.ensureLoaded", () => {
  it("applies the template on first load, byte for byte", async () => {
    f = await createFilesFixture();
    const { key, tree } = await uploadTemplate();
    expect(await f.files.ensureLoaded(f.ref, { templateKey: key })).toEqual({ restored: false, templateApplied: true });
    expect(treeSummary((await f.files.store.exportTree(f.ref)).entries)).toEqual(treeSummary(tree));
    expect(await f.files.ensureLoaded(f.ref, { templateKey: key })).toEqual({ restored: false, templateApplied: false });
  });

  it("applies the template exactly once under concurrent first joins on several instances", async () => {
    f = await createFilesFixture();
    const { key, tree } = await uploadTemplate();
    const instances = [f.files, f.instance(), f.instance()];
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (instances[i % 3] ?? f.files).ensureLoaded(f.ref, { templateKey: key })));
    expect(results.filter((r) => r.templateApplied)).toHaveLength(1);
    expect(results.filter((r) => r.restored)).toHaveLength(0);
    const exported = await f.files.store.exportTree(f.ref);
    expect(treeSummary(exported.entries)).toEqual(treeSummary(tree));
    expect(exported.version).toBe(1);
  });

  it("unpacks a template once for a class of 200 joining at once", async () => {
    f = await createFilesFixture();
    const { key, tree } = await uploadTemplate();
    const instances = [f.files, f.instance(), f.instance(), f.instance()];
    const refs = Array.from({ length: 200 }, () => randomRef());
    const results = await Promise.all(refs.map((ref, i) => (instances[i % 4] ?? f.files).ensureLoaded(ref, { templateKey: key })));
    expect(results.every((r) => r.templateApplied)).toBe(true);
    expect(await f.blobs.archiveOpens(key)).toBe(1);
    // Loads that overlap share the zip's HEAD: a handful of requests (5 in a run), where each
    // student's join asked once before (201 with the upload's own check).
    expect(f.blobs.calls.head.filter((k) => k === key).length).toBeLessThan(50);
    for (const ref of [refs[0], refs[99], refs[199]]) {
      expect(treeSummary((await f.files.store.exportTree(ref as typeof f.ref)).entries)).toEqual(treeSummary(tree));
    }
    await Promise.all(refs.map((ref) => f.files.store.evict(ref)));
  });

  it("keeps the unpacked template in Redis for templateCacheTtlMs", async () => {
    f = await createFilesFixture();
    const { key } = await uploadTemplate();
    const files = f.instance({ templateCacheTtlMs: 60_000 });
    const ref = randomRef();
    await files.ensureLoaded(ref, { templateKey: key });
    const cached = await f.redis.keys(`${f.prefix}template:*`);
    expect(cached.length).toBeGreaterThan(0);
    for (const cacheKey of cached) {
      const ttl = await f.redis.pttl(cacheKey);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    await f.files.store.evict(ref);
  });

  it("keeps a used template in the process: later first joins here need neither Redis's copy nor the zip", async () => {
    f = await createFilesFixture();
    const { key, tree } = await uploadTemplate();
    await f.files.ensureLoaded(f.ref, { templateKey: key });
    // Without Redis's unpacked copy, only another process has to unpack the zip again.
    await f.redis.del(...(await f.redis.keys(`${f.prefix}template:*`)));
    const [here, elsewhere] = [randomRef(), randomRef()];
    await f.files.ensureLoaded(here, { templateKey: key });
    expect(await f.blobs.archiveOpens(key)).toBe(1);
    expect(treeSummary((await f.files.store.exportTree(here)).entries)).toEqual(treeSummary(tree));
    await f.instance().ensureLoaded(elsewhere, { templateKey: key });
    expect(await f.blobs.archiveOpens(key)).toBe(2);
    await Promise.all([here, elsewhere].map((ref) => f.files.store.evict(ref)));
  });

  it("asks templateKeyOf when no template key is passed, and starts empty without one", async () => {
    f = await createFilesFixture();
    const { key } = await uploadTemplate();
    const asked: unknown[] = [];
    const files = f.instance({ templateKeyOf: async (ref) => (asked.push(ref), ref.ownerId % 2 ? key : null) });
    const odd = { lessonId: f.ref.lessonId, ownerId: 1 };
    const even = { lessonId: f.ref.lessonId, ownerId: 2 };
    expect(await files.ensureLoaded(odd)).toEqual({ restored: false, templateApplied: true });
    expect(await files.ensureLoaded(even)).toEqual({ restored: false, templateApplied: false });
    expect(asked).toEqual([odd, even]);
    expect((await files.list(even)).entries).toEqual([]);
    expect(await files.ensureLoaded(f.ref, { templateKey: null })).toEqual({ restored: false, templateApplied: false });
    expect(asked).toHaveLength(2);
    await Promise.all([odd, even, f.ref].map((ref) => files.store.evict(ref)));
  });

  it("refuses a missing template and leaves nothing", async () => {
    f = await createFilesFixture();
    expect((await refusal(f.files.ensureLoaded(f.ref, { templateKey: "templates/none.zip" }))).code).toBe("TEMPLATE_NOT_FOUND");
    expect(await f.keysLeft()).toEqual([]);
  });

  describe("refuses a hostile template with its own reason, leaving no project", () => {
    const hostile: [TemplateInvalidReason, () => Promise<Buffer>][] = [
      ["ZIP_SLIP", async () => patchBytes(await buildZip([{ name: "ok.txt" }, { name: "xx/evil.sh", content: Buffer.from("x") }]), "xx/evil.sh", "../evil.sh")],
      ["ABSOLUTE_PATH", async () => patchBytes(await buildZip([{ name: "_etc/passwd", content: Buffer.from("x") }]), "_etc/passwd", "/etc/passwd")],
      ["SYMLINK", () => buildZip([{ name: "a.txt" }, { name: "link", content: Buffer.from("/etc/passwd"), options: { mode: 0o120777 } }])],
      [
        "ZIP_BOMB",
        () =>
          buildStreamedZip(
            "zeros",
            function* () {
              for (let i = 0; i < 20; i++) yield Buffer.alloc(1024 * 1024);
            },
            20 * 1024 * 1024,
          ),
      ],
      ["TOO_MANY_ENTRIES", () => buildZip(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}.txt` })))],
      ["CORRUPT", async () => (await buildZip([{ name: "a.txt", content: Buffer.alloc(5000, 1), options: { compress: false } }])).subarray(0, 3000)],
    ];
    it.each(hostile)("%s", async (reason, build) => {
      f = await createFilesFixture({ limits: { maxProjectBytes: 5 * 1024 * 1024, maxFiles: 20 } });
      const key = `templates/${reason}.zip`;
      await f.blobs.put(key, await build());
      const error = await refusal(f.files.ensureLoaded(f.ref, { templateKey: key }));
      expect([error.code, error.reason]).toEqual(["TEMPLATE_INVALID", reason]);
      expect(await f.keysLeft()).toEqual([]);
      // The refusal is cached too: another student's join does not unpack it again.
      const again = await refusal(f.instance().ensureLoaded(randomRef(), { templateKey: key }));
      expect(again.reason).toBe(reason);
      expect(await f.blobs.archiveOpens(key)).toBe(1);
    });
  });

  it("refuses a template over the project limits", async () => {
    f = await createFilesFixture({ limits: { maxFileBytes: 1000 } });
    await f.blobs.put("templates/big.zip", await buildZip([{ name: "big.bin", content: Buffer.alloc(2000) }]));
    const error = await refusal(f.files.ensureLoaded(f.ref, { templateKey: "templates/big.zip" }));
    expect([error.code, error.reason]).toEqual(["TEMPLATE_INVALID", "FILE_TOO_LARGE"]);
    expect(await f.keysLeft()).toEqual([]);
  });

  it("serves a new template when the zip under the same key changes", async () => {
    f = await createFilesFixture();
    const { key } = await uploadTemplate("templates/changing.zip", [{ path: "v1.txt", type: "file", content: Buffer.from("1") }]);
    await f.files.ensureLoaded(f.ref, { templateKey: key });
    await uploadTemplate(key, [{ path: "v2.txt", type: "file", content: Buffer.from("2") }]);
    const other = randomRef();
    await f.files.ensureLoaded(other, { templateKey: key });
    expect((await f.files.list(other)).entries.map((e) => e.path)).toEqual(["v2.txt"]);
    await Promise.all([f.ref, other].map((ref) => f.files.store.evict(ref)));
  });
});

describe("ProjectFiles file operations", () => {
  it("restore an evicted project transparently, once, for concurrent readers", async () => {
    f = await createFilesFixture();
    const { key } = await uploadTemplate();
    await f.files.ensureLoaded(f.ref, { templateKey: key });
    await f.files.write(f.ref, "src/main.py", Buffer.from("print('changed')\n"));
    expect((await f.files.backupAndEvictIfIdle(f.ref, { idleMs: 0 })).status).toBe("evicted");
    expect(await f.keysLeft()).toEqual([]);

    const instances = [f.files, f.instance(), f.instance()];
    const reads = await Promise.all(Array.from({ length: 20 }, (_, i) => (instances[i % 3] ?? f.files).read(f.ref, "src/main.py")));
    for (const read of reads) expect(read.content.toString()).toBe("print('changed')\n");
    expect(await f.blobs.archiveOpens("backups/")).toBe(1);
    // A write to an evicted project restores first, then applies.
    await f.files.store.evict(f.ref);
    await f.files.write(f.ref, "README.md", Buffer.from("new"), {});
    expect((await f.files.read(f.ref, "src/main.py")).content.toString()).toBe("print('changed')\n");
    expect((await f.files.read(f.ref, "README.md")).content.toString()).toBe("new");
  });

  it("delegates every operation to the store", async () => {
    f = await createFilesFixture();
    await f.files.ensureLoaded(f.ref, { templateKey: null });
    await f.files.create(f.ref, { path: "a/b.txt", type: "file", content: Buffer.from("b") });
    await f.files.rename(f.ref, "a", "c");
    await f.files.setCursor(f.ref, 3, "c/b.txt", { line: 1, column: 2 });
    expect(await f.files.getCursor(f.ref, 3, "c/b.txt")).toEqual({ line: 1, column: 2 });
    expect(await f.files.touch(f.ref)).toBe(true);
    expect(await f.files.delete(f.ref, "c")).toMatchObject({ type: "directory" });
    expect((await f.files.list(f.ref)).entries).toEqual([]);
  });

  it("gives the project as a zip", async () => {
    f = await createFilesFixture();
    const { key, tree } = await uploadTemplate();
    await f.files.ensureLoaded(f.ref, { templateKey: key });
    expect(treeSummary(await readTemplateZip(await f.files.getProjectZip(f.ref)))).toEqual(treeSummary(tree));
  });
});
