import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isStorageError } from "../errors.js";
import { createStoreFixture, type StoreFixture } from "../test/store-fixture.js";

let f: StoreFixture;

beforeAll(async () => {
  f = await createStoreFixture();
  await f.store.create(f.ref, { path: "ok.txt", type: "file", content: Buffer.from("ok") });
});

afterAll(async () => {
  await f.close();
});

const invalid = [
  ["empty", ""],
  ["leading slash", "/etc/passwd"],
  ["dot segment", "a/./b"],
  ["dot-dot segment", "../secret"],
  ["trailing slash", "dir/"],
  ["double slash", "a//b"],
  ["NUL", "a\u0000b"],
  ["newline", "a\nb"],
  ["DEL", "a\u007f"],
  ["C1 control", "a\u0085"],
  ["backslash", "a\\b"],
  ["lone surrogate", "a\ud800"],
  ["path over 1024 bytes", Array.from({ length: 5 }, () => "x".repeat(250)).join("/")],
  ["segment over 255 bytes", "é".repeat(128)],
] as const;

describe.each(invalid)("a path with %s", (_name, path) => {
  it("is refused with INVALID_PATH by every operation, changing nothing", async () => {
    const before = await f.store.exportTree(f.ref);
    const ops: Promise<unknown>[] = [
      f.store.read(f.ref, path),
      f.store.create(f.ref, { path, type: "file", content: Buffer.from("x") }),
      f.store.create(f.ref, { path, type: "directory" }),
      f.store.write(f.ref, path, Buffer.from("x"), { create: true }),
      f.store.rename(f.ref, "ok.txt", path),
      f.store.rename(f.ref, path, "new.txt"),
      f.store.delete(f.ref, path),
      f.store.setCursor(f.ref, 1, path, { line: 1 }),
      f.store.setCursorAndAnnounce(f.ref, 1, path, { cursor: { line: 1 }, announce: { target: { key: `${f.prefix}x`, channel: "x", maxLen: 1, maxAgeMs: 0 }, event: "{}" } }),
      f.store.getCursor(f.ref, 1, path),
      f.store.importTree(f.ref, [{ path, type: "file" }], { replace: true }),
    ];
    for (const op of ops) await expect(op).rejects.toSatisfy((e) => isStorageError(e, "INVALID_PATH"));
    expect(await f.store.exportTree(f.ref)).toEqual(before);
  });
});
