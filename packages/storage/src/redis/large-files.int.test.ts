import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isStorageError } from "../errors.js";
import { createStoreFixture, type StoreFixture } from "../test/store-fixture.js";

let f: StoreFixture;
const projectBlobs = () => f.blobs.list(`projects/l${f.ref.lessonId}/p${f.ref.ownerId}/files/`);

beforeEach(async () => {
  f = await createStoreFixture({ maxInlineBytes: 1024, maxProjectBytes: 100_000 });
});

afterEach(async () => {
  await f.close();
});

describe("files larger than maxInlineBytes", () => {
  it("live in the blob store, transparently to readers", async () => {
    const big = randomBytes(5000);
    await f.store.write(f.ref, "data/big.bin", big, { create: true });
    expect((await f.store.read(f.ref, "data/big.bin")).content.equals(big)).toBe(true);
    const blobs = await projectBlobs();
    expect(blobs).toHaveLength(1);
    expect(blobs[0]?.size).toBe(5000);
    expect(await f.redis.hlen(f.store.keys(f.ref).contents)).toBe(0);
    const list = await f.store.list(f.ref);
    expect(list.entries.find((e) => e.path === "data/big.bin")?.size).toBe(5000);
    expect(list.totalSize).toBe(5000);
    // A rename keeps the same blob; an export includes the bytes.
    await f.store.rename(f.ref, "data", "moved");
    expect((await f.store.read(f.ref, "moved/big.bin")).content.equals(big)).toBe(true);
    expect((await projectBlobs()).map((b) => b.key)).toEqual(blobs.map((b) => b.key));
    const exported = await f.store.exportTree(f.ref);
    expect(exported.entries.find((e) => e.path === "moved/big.bin")?.content?.equals(big)).toBe(true);
  });

  it("replacing, shrinking and deleting clean up the old blobs", async () => {
    await f.store.write(f.ref, "big.bin", randomBytes(3000), { create: true });
    const second = randomBytes(4000);
    await f.store.write(f.ref, "big.bin", second);
    expect(await projectBlobs()).toHaveLength(1);
    expect((await f.store.read(f.ref, "big.bin")).content.equals(second)).toBe(true);
    await f.store.write(f.ref, "big.bin", Buffer.from("small now"));
    expect(await projectBlobs()).toHaveLength(0);
    expect((await f.store.read(f.ref, "big.bin")).content.toString()).toBe("small now");
    await f.store.write(f.ref, "dir/a.bin", randomBytes(2000), { create: true });
    await f.store.write(f.ref, "dir/b.bin", randomBytes(2000), { create: true });
    await f.store.delete(f.ref, "dir");
    expect(await projectBlobs()).toHaveLength(0);
  });

  it("except a live document's text: rewritten after every edit, it stays inline (no blob per keystroke)", async () => {
    const text = (n: number) => Buffer.from("x".repeat(5000 + n));
    await f.store.write(f.ref, "big.txt", text(0), { create: true });
    expect(await projectBlobs()).toHaveLength(1); // an ordinary write of a large file: a blob
    for (let version = 1; version <= 5; version++) {
      await f.store.write(f.ref, "big.txt", text(version), { docVersion: version });
      expect(await projectBlobs()).toHaveLength(0); // the blob it replaced is gone, and no new one
      expect((await f.store.read(f.ref, "big.txt")).content.equals(text(version))).toBe(true);
    }
    expect(await f.redis.hlen(f.store.keys(f.ref).contents)).toBe(1);
    expect((await f.store.list(f.ref)).totalSize).toBe(5005);
    // Exported (backups) with its bytes like any file.
    const exported = await f.store.exportTree(f.ref);
    expect(exported.entries.find((e) => e.path === "big.txt")?.content?.equals(text(5))).toBe(true);
  });

  it("count toward the quota, and a refused one leaves no blob", async () => {
    await f.store.write(f.ref, "a.bin", randomBytes(60_000), { create: true });
    await expect(f.store.write(f.ref, "b.bin", randomBytes(50_000), { create: true })).rejects.toSatisfy((e) =>
      isStorageError(e, "PROJECT_QUOTA_EXCEEDED"),
    );
    expect(await projectBlobs()).toHaveLength(1);
    expect((await f.store.list(f.ref)).totalSize).toBe(60_000);
  });

  it("survive concurrent replacement while being read", async () => {
    const versions = Array.from({ length: 10 }, (_, i) => Buffer.alloc(3000, i));
    await f.store.write(f.ref, "hot.bin", versions[0] as Buffer, { create: true });
    let done = false;
    const reader = (async () => {
      while (!done) {
        const { content } = await f.store.read(f.ref, "hot.bin");
        expect(versions.some((v) => v.equals(content))).toBe(true);
      }
    })();
    for (const version of versions.slice(1)) await f.store.write(f.ref, "hot.bin", version);
    done = true;
    await reader;
    expect(await projectBlobs()).toHaveLength(1);
  });

  it("are imported to and removed from the blob store with the project", async () => {
    const big = randomBytes(4096);
    await f.store.importTree(f.ref, [{ path: "x/big.bin", type: "file", content: big }], { replace: true });
    expect(await projectBlobs()).toHaveLength(1);
    expect((await f.store.read(f.ref, "x/big.bin")).content.equals(big)).toBe(true);
    expect(await f.store.evict(f.ref)).toBe(true);
    expect(await projectBlobs()).toHaveLength(0);
  });
});
