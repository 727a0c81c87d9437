import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isStorageError, type StorageErrorCode } from "../errors.js";
import { createStoreFixture, type StoreFixture } from "../test/store-fixture.js";
import { randomRef } from "../test/redis-test-context.js";
import { RedisFileStore } from "./redis-file-store.js";

let f: StoreFixture;

beforeEach(async () => {
  f = await createStoreFixture();
});

afterEach(async () => {
  await f.close();
});

const text = (s: string) => Buffer.from(s);

async function expectCode(promise: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await expect(promise).rejects.toSatisfy((e) => isStorageError(e, code));
}

/** list + version: what must be unchanged after a refused operation. */
async function state() {
  const list = await f.store.list(f.ref);
  return { list, contents: await f.store.exportTree(f.ref) };
}

describe("RedisFileStore basics", () => {
  it("creates, reads, writes and lists files with exact bytes", async () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
    const created = await f.store.create(f.ref, { path: "src/main.py", type: "file", content: text("print(1)\n") });
    expect(created).toMatchObject({ path: "src/main.py", type: "file", size: 9 });
    expect(new Date(created.updatedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    await f.store.create(f.ref, { path: "bin/data.bin", type: "file", content: binary });
    await f.store.create(f.ref, { path: "ünï/日本語 ✓.txt", type: "file", content: text("κόσμε") });
    await f.store.create(f.ref, { path: "empty", type: "directory" });

    expect((await f.store.read(f.ref, "bin/data.bin")).content.equals(binary)).toBe(true);
    const written = await f.store.write(f.ref, "src/main.py", text("print(2)\nprint(3)\n"));
    expect(written.size).toBe(18);
    expect(await f.store.read(f.ref, "src/main.py")).toEqual({ path: "src/main.py", content: text("print(2)\nprint(3)\n"), size: 18 });
    expect((await f.store.read(f.ref, "ünï/日本語 ✓.txt")).content.toString()).toBe("κόσμε");

    const list = await f.store.list(f.ref);
    expect(list.entries.map((e) => [e.path, e.type, e.size])).toEqual([
      ["bin", "directory", 0],
      ["bin/data.bin", "file", 256],
      ["empty", "directory", 0],
      ["src", "directory", 0],
      ["src/main.py", "file", 18],
      ["ünï", "directory", 0],
      ["ünï/日本語 ✓.txt", "file", 10],
    ]);
    expect(list.totalSize).toBe(256 + 18 + 10);
    expect(list.quota).toBe(50 * 1024 * 1024);
  });

  it("counts every change in the version", async () => {
    const v0 = (await f.store.version(f.ref)) as number;
    const { version: v1 } = await f.store.create(f.ref, { path: "a.txt", type: "file" });
    const { version: v2 } = await f.store.write(f.ref, "a.txt", text("x"));
    const { version: v3 } = await f.store.rename(f.ref, "a.txt", "b.txt");
    const { version: v4 } = await f.store.delete(f.ref, "b.txt");
    expect([v1, v2, v3, v4]).toEqual([v0 + 1, v0 + 2, v0 + 3, v0 + 4]);
    expect(await f.store.version(f.ref)).toBe(v4);
  });

  it("write needs an existing file unless create is set", async () => {
    await expectCode(f.store.write(f.ref, "new.txt", text("x")), "FILE_NOT_FOUND");
    await f.store.write(f.ref, "deep/new.txt", text("x"), { create: true });
    expect((await f.store.list(f.ref)).entries.map((e) => e.path)).toEqual(["deep", "deep/new.txt"]);
  });

  it("refuses what a file system would, changing nothing", async () => {
    await f.store.create(f.ref, { path: "dir/file.txt", type: "file", content: text("x") });
    const before = await state();
    await expectCode(f.store.create(f.ref, { path: "dir/file.txt", type: "file" }), "FILE_EXISTS");
    await expectCode(f.store.create(f.ref, { path: "dir", type: "directory" }), "FILE_EXISTS");
    await expectCode(f.store.create(f.ref, { path: "dir/file.txt/x", type: "file" }), "NOT_A_DIRECTORY");
    await expectCode(f.store.write(f.ref, "dir/file.txt/x", text("x"), { create: true }), "NOT_A_DIRECTORY");
    await expectCode(f.store.write(f.ref, "dir", text("x")), "IS_A_DIRECTORY");
    await expectCode(f.store.read(f.ref, "dir"), "IS_A_DIRECTORY");
    await expectCode(f.store.read(f.ref, "missing"), "FILE_NOT_FOUND");
    await expectCode(f.store.rename(f.ref, "missing", "x"), "FILE_NOT_FOUND");
    await expectCode(f.store.rename(f.ref, "dir/file.txt", "dir"), "FILE_EXISTS");
    await expectCode(f.store.rename(f.ref, "dir", "dir/sub"), "INVALID_PATH");
    await expectCode(f.store.rename(f.ref, "dir", "dir/a/b"), "INVALID_PATH");
    await expectCode(f.store.rename(f.ref, "dir/file.txt", "dir/file.txt/inside"), "NOT_A_DIRECTORY");
    await expectCode(f.store.delete(f.ref, "missing"), "FILE_NOT_FOUND");
    expect(await state()).toEqual(before);
  });

  it("renames a file and moves a directory with its contents, creating missing parents", async () => {
    await f.store.create(f.ref, { path: "a/b/c.txt", type: "file", content: text("c") });
    await f.store.create(f.ref, { path: "a/d", type: "directory" });
    await f.store.create(f.ref, { path: "ab.txt", type: "file", content: text("not inside a/") });
    expect(await f.store.rename(f.ref, "a", "x/y/a2")).toMatchObject({ path: "a", newPath: "x/y/a2", type: "directory" });
    expect((await f.store.list(f.ref)).entries.map((e) => e.path)).toEqual(["ab.txt", "x", "x/y", "x/y/a2", "x/y/a2/b", "x/y/a2/b/c.txt", "x/y/a2/d"]);
    expect((await f.store.read(f.ref, "x/y/a2/b/c.txt")).content.toString()).toBe("c");
    expect(await f.store.rename(f.ref, "ab.txt", "x/ab.md")).toMatchObject({ type: "file" });
    expect((await f.store.read(f.ref, "x/ab.md")).content.toString()).toBe("not inside a/");
  });

  it("refuses a move that would push a path past the limit", async () => {
    await f.store.create(f.ref, { path: "d/" + "n".repeat(200) + "/f", type: "file" });
    const longName = Array.from({ length: 5 }, () => "m".repeat(200)).join("/"); // 1004 bytes: fine alone
    await expectCode(f.store.rename(f.ref, "d", longName), "INVALID_PATH");
    expect((await f.store.list(f.ref)).entries.map((e) => e.path)[0]).toBe("d");
  });

  it("deletes a file or a directory with everything in it", async () => {
    await f.store.create(f.ref, { path: "keep.txt", type: "file", content: text("k") });
    await f.store.create(f.ref, { path: "tree/a.txt", type: "file", content: text("aa") });
    await f.store.create(f.ref, { path: "tree/sub/b.txt", type: "file", content: text("bbb") });
    await f.store.create(f.ref, { path: "treehouse.txt", type: "file", content: text("t") });
    expect(await f.store.delete(f.ref, "tree")).toMatchObject({ path: "tree", type: "directory" });
    const list = await f.store.list(f.ref);
    expect(list.entries.map((e) => e.path)).toEqual(["keep.txt", "treehouse.txt"]);
    expect(list.totalSize).toBe(2);
    await expectCode(f.store.read(f.ref, "tree/a.txt"), "FILE_NOT_FOUND");
    expect(await f.redis.hlen(f.store.keys(f.ref).contents)).toBe(2);
  });

  it("keeps cursors per viewer and file, moving them on rename and dropping them on delete", async () => {
    await f.store.create(f.ref, { path: "d/a.txt", type: "file", content: text("a") });
    await f.store.create(f.ref, { path: "b.txt", type: "file", content: text("b") });
    await f.store.setCursor(f.ref, 7, "d/a.txt", { line: 3, column: 1 });
    await f.store.setCursor(f.ref, 8, "d/a.txt", { line: 9, column: 2 });
    await f.store.setCursor(f.ref, 7, "b.txt", { line: 1, column: 0 });
    expect(await f.store.getCursor(f.ref, 7, "d/a.txt")).toEqual({ line: 3, column: 1 });
    expect(await f.store.getCursor(f.ref, 9, "d/a.txt")).toBeNull();
    await expectCode(f.store.setCursor(f.ref, 7, "nope.txt", { line: 1 }), "FILE_NOT_FOUND");
    await expectCode(f.store.setCursor(f.ref, 7, "d", { line: 1 }), "IS_A_DIRECTORY");

    await f.store.rename(f.ref, "d", "e");
    expect(await f.store.getCursor(f.ref, 8, "e/a.txt")).toEqual({ line: 9, column: 2 });
    expect(await f.store.getCursor(f.ref, 8, "d/a.txt")).toBeNull();
    await f.store.delete(f.ref, "e");
    expect(await f.store.getCursor(f.ref, 8, "e/a.txt")).toBeNull();
    expect(await f.store.getCursor(f.ref, 7, "b.txt")).toEqual({ line: 1, column: 0 });
  });

  it("stores a cursor and appends its event in one step; a refused cursor is neither stored nor announced", async () => {
    await f.store.create(f.ref, { path: "a.txt", type: "file", content: text("a") });
    await f.store.create(f.ref, { path: "d", type: "directory" });
    const stream = `${f.prefix}{l:${f.ref.lessonId}:p:${f.ref.ownerId}}:events`;
    const target = { key: stream, channel: `${stream}:live`, maxLen: 100, maxAgeMs: 0 };
    const listener = f.redis.duplicate();
    const published: string[] = [];
    listener.on("message", (_channel: string, message: string) => published.push(message));
    await listener.subscribe(target.channel);
    const event = '{"type":"cursor","path":"a.txt"}';

    const id = await f.store.setCursorAndAnnounce(f.ref, 7, "a.txt", { cursor: { line: 2 }, announce: { target, event } });
    expect(await f.store.getCursor(f.ref, 7, "a.txt")).toEqual({ line: 2 });
    const entries = await f.redis.xrange(stream, "-", "+");
    expect(entries).toEqual([[id, ["p", "0-0", "e", event]]]);
    await expect.poll(() => published).toEqual([`${id} 0-0 ${event}`]);

    await expectCode(f.store.setCursorAndAnnounce(f.ref, 7, "nope.txt", { cursor: { line: 1 }, announce: { target, event } }), "FILE_NOT_FOUND");
    await expectCode(f.store.setCursorAndAnnounce(f.ref, 7, "d", { cursor: { line: 1 }, announce: { target, event } }), "IS_A_DIRECTORY");
    expect(await f.redis.xlen(stream)).toBe(1);
    expect(await f.store.getCursor(f.ref, 7, "nope.txt")).toBeNull();
    // Without an announcement, only the cursor changes.
    await f.store.setCursor(f.ref, 7, "a.txt", { line: 3 });
    expect(await f.redis.xlen(stream)).toBe(1);
    listener.disconnect();
  });

  it("refuses to work on a project that is not loaded, without creating it", async () => {
    const other = randomRef();
    await expectCode(f.store.list(other), "PROJECT_NOT_LOADED");
    await expectCode(f.store.read(other, "a"), "PROJECT_NOT_LOADED");
    await expectCode(f.store.write(other, "a", text("x"), { create: true }), "PROJECT_NOT_LOADED");
    await expectCode(f.store.create(other, { path: "a", type: "directory" }), "PROJECT_NOT_LOADED");
    await expectCode(f.store.rename(other, "a", "b"), "PROJECT_NOT_LOADED");
    await expectCode(f.store.delete(other, "a"), "PROJECT_NOT_LOADED");
    await expectCode(f.store.exportTree(other), "PROJECT_NOT_LOADED");
    expect(await f.store.touch(other)).toBe(false);
    expect(await f.store.isLoaded(other)).toBe(false);
    expect(await f.store.version(other)).toBeNull();
    expect(await f.store.activity(other)).toBeNull();
  });

  it("puts every key of a project under one hash tag", async () => {
    await f.store.create(f.ref, { path: "a.txt", type: "file", content: text("a") });
    await f.store.setCursor(f.ref, 1, "a.txt", { line: 1 });
    const keys = Object.values(f.store.keys(f.ref));
    const tag = `{l:${f.ref.lessonId}:p:${f.ref.ownerId}}`;
    for (const key of keys) {
      expect(key.startsWith(`${f.prefix}${tag}:`)).toBe(true);
      // Redis Cluster hashes only the first {…} of a key: it must be the project tag.
      expect(/\{[^}]*\}/.exec(key)?.[0]).toBe(tag);
    }
    expect(() => new RedisFileStore({ redis: f.redis, blobs: f.blobs, prefix: "bad{prefix}:" })).toThrow(TypeError);
  });
});

describe("RedisFileStore import, export, eviction", () => {
  it("imports a tree with implied parents, refuses a loaded project unless replacing", async () => {
    const ref = randomRef();
    const tree = [
      { path: "x/y.txt", type: "file" as const, content: text("y") },
      { path: "e", type: "directory" as const },
    ];
    expect(await f.store.importTree(ref, tree)).toEqual({ imported: true, version: 1 });
    expect((await f.store.list(ref)).entries.map((e) => e.path)).toEqual(["e", "x", "x/y.txt"]);
    expect(await f.store.importTree(ref, [{ path: "other", type: "directory" }])).toEqual({ imported: false, version: 1 });
    expect((await f.store.importTree(ref, [{ path: "z.txt", type: "file", content: text("z") }], { replace: true })).imported).toBe(true);
    const after = await f.store.exportTree(ref);
    expect(after.entries.map((e) => e.path)).toEqual(["z.txt"]);
    expect(after.version).toBe(2);
    await f.store.evict(ref);
  });

  it("drops the replaced files' live documents, so a new file with a reused id starts clean", async () => {
    const ref = randomRef();
    await f.store.importTree(ref, [{ path: "old.txt", type: "file", content: text("old") }]);
    const { id } = (await f.store.stat(ref, "old.txt"))!;
    // Where packages/collab keeps a file's document and its pending updates (same hash tag).
    const docBase = f.store.keys(ref).entries.slice(0, -"entries".length);
    const docKeys = [`${docBase}doc:${id}`, `${docBase}docu:${id}`];
    for (const key of docKeys) await f.redis.set(key, "history of old.txt");
    await f.store.importTree(ref, [{ path: "new.txt", type: "file", content: text("new") }], { replace: true });
    expect((await f.store.stat(ref, "new.txt"))!.id).toBe(id);
    expect(await f.redis.exists(...docKeys)).toBe(0);
    await f.store.evict(ref);
  });

  it("refuses a tree that breaks a rule, writing nothing", async () => {
    const ref = randomRef();
    await expectCode(f.store.importTree(ref, [{ path: "../x", type: "file" }]), "INVALID_PATH");
    await expectCode(f.store.importTree(ref, [{ path: "a", type: "file" }, { path: "a", type: "file" }]), "FILE_EXISTS");
    await expectCode(f.store.importTree(ref, [{ path: "a", type: "file" }, { path: "a/b", type: "file" }]), "NOT_A_DIRECTORY");
    expect(await f.store.isLoaded(ref)).toBe(false);
  });

  it("evicts only at the expected version and after the idle time", async () => {
    await f.store.create(f.ref, { path: "a.txt", type: "file", content: text("a") });
    const version = (await f.store.version(f.ref)) as number;
    expect(await f.store.evict(f.ref, { ifVersion: version - 1 })).toBe(false);
    expect(await f.store.evict(f.ref, { ifVersion: version, minIdleMs: 60_000 })).toBe(false);
    expect(await f.store.touch(f.ref)).toBe(true);
    expect((await f.store.activity(f.ref))?.idleMs).toBeLessThan(1000);
    expect(await f.store.isLoaded(f.ref)).toBe(true);
    expect(await f.store.evict(f.ref, { ifVersion: version, minIdleMs: 0 })).toBe(true);
    expect(await f.store.isLoaded(f.ref)).toBe(false);
    expect(await f.redis.exists(...Object.values(f.store.keys(f.ref)))).toBe(0);
    expect(await f.store.evict(f.ref)).toBe(false);
  });

  it("lists loaded projects by SCAN", async () => {
    const refs = await f.store.listLoaded();
    expect(refs).toContainEqual(f.ref);
    await f.store.evict(f.ref);
    expect(await f.store.listLoaded()).not.toContainEqual(f.ref);
  });
});
