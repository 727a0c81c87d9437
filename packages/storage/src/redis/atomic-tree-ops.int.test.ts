import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStoreFixture, type StoreFixture } from "../test/store-fixture.js";

let f: StoreFixture;
const FILES = 300;

beforeEach(async () => {
  f = await createStoreFixture();
  await f.store.importTree(
    f.ref,
    Array.from({ length: FILES }, (_, i) => ({ path: `big/sub${i % 10}/file-${i}.txt`, type: "file" as const, content: Buffer.from(`content ${i}`) })),
    { replace: true },
  );
  await f.store.create(f.ref, { path: "other.txt", type: "file", content: Buffer.from("stays") });
});

afterEach(async () => {
  await f.close();
});

/** Lists again and again while `operation` runs; returns every snapshot seen. */
async function observe(operation: () => Promise<unknown>): Promise<string[][]> {
  const snapshots: string[][] = [];
  let done = false;
  const reader = (async () => {
    while (!done) snapshots.push((await f.store.list(f.ref)).entries.map((e) => e.path));
  })();
  // Let the reader get going before the operation starts.
  while (snapshots.length < 3) await new Promise((resolve) => setTimeout(resolve, 1));
  await operation();
  done = true;
  await reader;
  snapshots.push((await f.store.list(f.ref)).entries.map((e) => e.path));
  return snapshots;
}

describe(`directory operations on ${FILES} files`, () => {
  it("a rename is atomic to a concurrent reader", async () => {
    const snapshots = await observe(() => f.store.rename(f.ref, "big", "moved/big"));
    for (const paths of snapshots) {
      const old = paths.filter((p) => p.startsWith("big/")).length;
      const moved = paths.filter((p) => p.startsWith("moved/big/")).length;
      // Never a mix: everything at the old place, or everything at the new one.
      expect([old, moved]).toSatisfy(([a, b]: number[]) => (a === FILES + 10 && b === 0) || (a === 0 && b === FILES + 10));
    }
    expect(snapshots.at(-1)).toContain("moved/big/sub3/file-13.txt");
    expect((await f.store.read(f.ref, "moved/big/sub7/file-297.txt")).content.toString()).toBe("content 297");
  });

  it("a delete is atomic to a concurrent reader", async () => {
    const snapshots = await observe(() => f.store.delete(f.ref, "big"));
    for (const paths of snapshots) {
      const inside = paths.filter((p) => p === "big" || p.startsWith("big/")).length;
      expect([0, FILES + 11]).toContain(inside);
      expect(paths).toContain("other.txt");
    }
    expect(snapshots.at(-1)).toEqual(["other.txt"]);
    const list = await f.store.list(f.ref);
    expect(list.totalSize).toBe(5);
    expect(await f.redis.hlen(f.store.keys(f.ref).contents)).toBe(1);
  });

  it("concurrent readers of a file see the old or the new content, never a mix", async () => {
    await f.store.write(f.ref, "other.txt", Buffer.alloc(100_000, "a"));
    let done = false;
    const seen = new Set<string>();
    const reader = (async () => {
      while (!done) {
        const { content, size } = await f.store.read(f.ref, "other.txt");
        expect(content.length).toBe(size);
        seen.add(`${content[0]}-${content.at(-1)}-${size}`);
      }
    })();
    for (let i = 0; i < 20; i++) await f.store.write(f.ref, "other.txt", Buffer.alloc(100_000 + (i % 2), i % 2 ? "b" : "a"));
    done = true;
    await reader;
    for (const s of seen) expect(["97-97-100000", "98-98-100001"]).toContain(s);
  });
});
