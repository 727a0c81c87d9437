import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStoreFixture, type StoreFixture } from "../test/store-fixture.js";
import { RedisFileStore } from "./redis-file-store.js";

let f: StoreFixture;
beforeEach(async () => {
  f = await createStoreFixture();
});
afterEach(async () => {
  await f.close();
});

describe("list is cached per project version", () => {
  it("answers from the cache only while nothing changed, on this instance or another", async () => {
    const other = new RedisFileStore({ redis: f.store.redis, blobs: f.store.blobs, prefix: f.store.prefix });
    await f.store.create(f.ref, { path: "a.txt", type: "file", content: Buffer.from("a") });
    const first = await f.store.list(f.ref);
    expect(await f.store.list(f.ref)).toBe(first); // same object: served from the cache
    // A change made through another instance is seen at once.
    await other.write(f.ref, "a.txt", Buffer.from("longer"));
    const second = await f.store.list(f.ref);
    expect(second).not.toBe(first);
    expect(second.entries.find((e) => e.path === "a.txt")?.size).toBe(6);
    await other.rename(f.ref, "a.txt", "b.txt");
    expect((await f.store.list(f.ref)).entries.map((e) => e.path)).toEqual(["b.txt"]);
    await other.delete(f.ref, "b.txt");
    expect((await f.store.list(f.ref)).entries).toEqual([]);
  });
});
