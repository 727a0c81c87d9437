import { afterEach, describe, expect, it } from "vitest";
import { isStorageError } from "../errors.js";
import { createStoreFixture, type StoreFixture } from "../test/store-fixture.js";

let f: StoreFixture;

afterEach(async () => {
  await f?.close();
});

const bytes = (n: number, fill = 0x61) => Buffer.alloc(n, fill);

async function sumOfSizes(): Promise<number> {
  const list = await f.store.list(f.ref);
  return list.entries.reduce((sum, e) => sum + e.size, 0);
}

describe("quotas", () => {
  it("refuses the write that crosses the project limit and keeps the total exact", async () => {
    f = await createStoreFixture({ maxProjectBytes: 1000 });
    await f.store.write(f.ref, "a.txt", bytes(600), { create: true });
    await f.store.write(f.ref, "b.txt", bytes(300), { create: true });
    const before = await f.store.exportTree(f.ref);
    await expect(f.store.write(f.ref, "c.txt", bytes(101), { create: true })).rejects.toSatisfy((e) => isStorageError(e, "PROJECT_QUOTA_EXCEEDED"));
    await expect(f.store.write(f.ref, "b.txt", bytes(401))).rejects.toSatisfy((e) => isStorageError(e, "PROJECT_QUOTA_EXCEEDED"));
    await expect(f.store.create(f.ref, { path: "d/e.txt", type: "file", content: bytes(200) })).rejects.toSatisfy((e) =>
      isStorageError(e, "PROJECT_QUOTA_EXCEEDED"),
    );
    expect(await f.store.exportTree(f.ref)).toEqual(before);
    expect((await f.store.list(f.ref)).totalSize).toBe(900);

    await f.store.write(f.ref, "c.txt", bytes(100), { create: true }); // exactly at the limit
    await f.store.write(f.ref, "a.txt", bytes(100)); // shrinking frees room
    await f.store.write(f.ref, "b.txt", bytes(800));
    expect((await f.store.list(f.ref)).totalSize).toBe(1000);
    await f.store.delete(f.ref, "b.txt");
    expect((await f.store.list(f.ref)).totalSize).toBe(200);
    expect(await sumOfSizes()).toBe(200);
  });

  it("refuses a file over maxFileBytes and entries over maxFiles", async () => {
    f = await createStoreFixture({ maxFileBytes: 100, maxFiles: 4 });
    await expect(f.store.write(f.ref, "big", bytes(101), { create: true })).rejects.toSatisfy((e) => isStorageError(e, "FILE_TOO_LARGE"));
    await f.store.create(f.ref, { path: "a/b/c.txt", type: "file", content: bytes(100) }); // 3 entries
    await f.store.create(f.ref, { path: "d", type: "directory" }); // 4
    await expect(f.store.create(f.ref, { path: "e", type: "directory" })).rejects.toSatisfy((e) => isStorageError(e, "TOO_MANY_FILES"));
    await expect(f.store.rename(f.ref, "d", "x/d")).rejects.toSatisfy((e) => isStorageError(e, "TOO_MANY_FILES"));
    await f.store.write(f.ref, "a/b/c.txt", bytes(50)); // replacing needs no new entry
    expect((await f.store.list(f.ref)).entries).toHaveLength(4);
  });

  it("keeps sizes exact under 50 concurrent writes to different files", async () => {
    f = await createStoreFixture();
    const sizes = Array.from({ length: 50 }, (_, i) => 1000 + i * 37);
    await Promise.all(sizes.map((size, i) => f.store.write(f.ref, `dir${i % 5}/file-${i}.bin`, bytes(size, i), { create: true })));
    const list = await f.store.list(f.ref);
    expect(list.totalSize).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(await sumOfSizes()).toBe(list.totalSize);
    expect(list.entries.filter((e) => e.type === "file")).toHaveLength(50);
    // And again, rewriting every file concurrently with new sizes.
    const resized = sizes.map((size, i) => (i % 2 ? size * 2 : 10));
    await Promise.all(resized.map((size, i) => f.store.write(f.ref, `dir${i % 5}/file-${i}.bin`, bytes(size, i))));
    expect((await f.store.list(f.ref)).totalSize).toBe(resized.reduce((a, b) => a + b, 0));
    expect(await sumOfSizes()).toBe(resized.reduce((a, b) => a + b, 0));
  });

  it("never lets concurrent writers overshoot the quota together", async () => {
    f = await createStoreFixture({ maxProjectBytes: 10_000 });
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => f.store.write(f.ref, `f${i}`, bytes(700), { create: true })));
    const ok = results.filter((r) => r.status === "fulfilled").length;
    expect(ok).toBe(14); // 14 × 700 = 9800; a 15th would be 10 500
    for (const r of results) if (r.status === "rejected") expect(isStorageError(r.reason, "PROJECT_QUOTA_EXCEEDED")).toBe(true);
    expect((await f.store.list(f.ref)).totalSize).toBe(9800);
    expect(await sumOfSizes()).toBe(9800);
  });
});
