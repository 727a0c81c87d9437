import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isStorageError } from "../errors.js";
import { createStoreFixture, type StoreFixture } from "../test/store-fixture.js";
import type { ReadManyOptions } from "./read-many.js";

let f: StoreFixture;
const big = randomBytes(3000);

beforeEach(async () => {
  f = await createStoreFixture({ maxInlineBytes: 1024 });
  await f.store.importTree(f.ref, [
    { path: "b.txt", type: "file", content: Buffer.from("bee") },
    { path: "a.txt", type: "file", content: Buffer.from("ay") },
    { path: "src", type: "directory" },
    { path: "src/big.bin", type: "file", content: big },
    { path: "src/empty.txt", type: "file", content: Buffer.alloc(0) },
  ], { replace: true });
});

afterEach(async () => {
  await f.close();
});

const unbounded = { maxFiles: 1000, maxBytes: 1_000_000 };
const summary = (page: { files: { path: string; size: number }[]; nextCursor: string | null }) => ({
  paths: page.files.map((file) => file.path),
  nextCursor: page.nextCursor,
});

/** Every page from the start, following nextCursor. */
async function allPages(options: ReadManyOptions) {
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await f.store.readMany(f.ref, { ...options, cursor });
    pages.push(summary(page));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return pages;
}

describe("readMany", () => {
  it("reads every file in path order, blob-backed ones included, with the bytes read gives", async () => {
    const page = await f.store.readMany(f.ref, unbounded);
    expect(summary(page)).toEqual({ paths: ["a.txt", "b.txt", "src/big.bin", "src/empty.txt"], nextCursor: null });
    for (const file of page.files) {
      const single = await f.store.read(f.ref, file.path);
      expect(file.content.equals(single.content), file.path).toBe(true);
      expect(file.size).toBe(single.size);
    }
    expect(page.files[2]?.content.equals(big)).toBe(true);
  });

  it("reads named paths in path order, whatever order they were named in", async () => {
    const page = await f.store.readMany(f.ref, { ...unbounded, paths: ["src/empty.txt", "a.txt"] });
    expect(summary(page)).toEqual({ paths: ["a.txt", "src/empty.txt"], nextCursor: null });
  });

  it("pages by file count and continues exactly after the cursor", async () => {
    expect(await allPages({ maxFiles: 3, maxBytes: 1_000_000 })).toEqual([
      { paths: ["a.txt", "b.txt", "src/big.bin"], nextCursor: "src/big.bin" },
      { paths: ["src/empty.txt"], nextCursor: null },
    ]);
  });

  it("pages by bytes, and a file larger than the budget comes alone", async () => {
    expect(await allPages({ maxFiles: 1000, maxBytes: 100 })).toEqual([
      { paths: ["a.txt", "b.txt"], nextCursor: "b.txt" },
      { paths: ["src/big.bin"], nextCursor: "src/big.bin" },
      { paths: ["src/empty.txt"], nextCursor: null },
    ]);
    expect(await allPages({ maxFiles: 1000, maxBytes: 100, paths: ["src/big.bin", "a.txt"] })).toEqual([
      { paths: ["a.txt"], nextCursor: "a.txt" },
      { paths: ["src/big.bin"], nextCursor: null },
    ]);
  });

  it("refuses a named path that is missing or a directory, even one beyond the page", async () => {
    const refused = (paths: string[], code: "FILE_NOT_FOUND" | "IS_A_DIRECTORY") =>
      expect(f.store.readMany(f.ref, { maxFiles: 1, maxBytes: 1, paths })).rejects.toSatisfy((e) => isStorageError(e, code));
    await refused(["a.txt", "zz/missing.txt"], "FILE_NOT_FOUND");
    await refused(["a.txt", "src"], "IS_A_DIRECTORY");
    await expect(f.store.readMany(f.ref, { ...unbounded, paths: ["../x"] })).rejects.toSatisfy((e) => isStorageError(e, "INVALID_PATH"));
  });

  it("leaves out directories and deleted files, and answers an empty page past the end", async () => {
    // A directory sorting last does not cost an extra, empty page.
    await f.store.create(f.ref, { path: "zz", type: "directory" });
    expect(await allPages({ maxFiles: 2, maxBytes: 1_000_000 })).toEqual([
      { paths: ["a.txt", "b.txt"], nextCursor: "b.txt" },
      { paths: ["src/big.bin", "src/empty.txt"], nextCursor: null },
    ]);
    await f.store.delete(f.ref, "b.txt");
    expect(summary(await f.store.readMany(f.ref, unbounded)).paths).toEqual(["a.txt", "src/big.bin", "src/empty.txt"]);
    expect(await f.store.readMany(f.ref, { ...unbounded, cursor: "zzz" })).toEqual({ files: [], nextCursor: null });
  });

  it("refuses a project that is not loaded", async () => {
    const other = { lessonId: f.ref.lessonId, ownerId: f.ref.ownerId + 1 };
    await expect(f.store.readMany(other, unbounded)).rejects.toSatisfy((e) => isStorageError(e, "PROJECT_NOT_LOADED"));
    await expect(f.store.readMany(other, { ...unbounded, paths: ["a.txt"] })).rejects.toSatisfy((e) => isStorageError(e, "PROJECT_NOT_LOADED"));
  });

  it("reads a blob-backed file consistently while it is being replaced", async () => {
    const versions = Array.from({ length: 8 }, (_, i) => Buffer.alloc(2000, i));
    await f.store.write(f.ref, "src/big.bin", versions[0] as Buffer);
    let done = false;
    const reader = (async () => {
      while (!done) {
        const { files } = await f.store.readMany(f.ref, { ...unbounded, paths: ["src/big.bin"] });
        expect(versions.some((v) => v.equals(files[0]?.content as Buffer))).toBe(true);
      }
    })();
    for (const version of versions.slice(1)) await f.store.write(f.ref, "src/big.bin", version);
    done = true;
    await reader;
  });
});
