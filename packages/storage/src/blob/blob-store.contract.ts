// The behaviour every BlobStore adapter must share; run by each adapter's test file.
import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { isStorageError } from "../errors.js";
import type { BlobStore } from "./blob-store.js";
import { readAll } from "./read-all.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

export interface ContractOptions {
  /**
   * Whether racing puts on one key must leave one whole body. S3 guarantees it; s3rver writes
   * in place, so its runs skip this case (the adapter itself adds nothing that could tear).
   * @default true
   */
  atomicPuts?: boolean;
}

export function describeBlobStoreContract(
  name: string,
  getStore: () => BlobStore,
  { atomicPuts = true }: ContractOptions = {},
): void {
  describe(`${name} (BlobStore contract)`, () => {
    const base = () => `contract/${randomUUID()}`;
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

    it("stores a buffer byte-exact and reports its size and sha256", async () => {
      const store = getStore();
      const key = `${base()}/all-bytes.bin`;
      const body = Buffer.concat([allBytes, allBytes.reverse()]);
      await expect(store.put(key, body)).resolves.toEqual({ size: 512, sha256: sha256(body) });
      expect((await store.get(key)).equals(body)).toBe(true);
      const head = await store.head(key);
      expect(head).toMatchObject({ size: 512, sha256: sha256(body) });
      expect(head?.lastModified).toBeInstanceOf(Date);
      expect((await readAll(await store.getStream(key)))?.equals(body)).toBe(true);
    });

    it("streams a range: from a start, between two offsets, empty", async () => {
      const store = getStore();
      const key = `${base()}/ranged.bin`;
      const body = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
      await store.put(key, body);
      const read = async (range: { start: number; end?: number }) => (await readAll(await store.getStream(key, range))) as Buffer;
      expect((await read({ start: 4990 })).equals(body.subarray(4990))).toBe(true);
      expect((await read({ start: 100, end: 1100 })).equals(body.subarray(100, 1100))).toBe(true);
      // One byte (not at offset 0: the S3-compatible test server reads "bytes=0-0" as "bytes=0-").
      expect((await read({ start: 1, end: 2 })).equals(body.subarray(1, 2))).toBe(true);
      expect((await read({ start: 7, end: 7 })).length).toBe(0);
    });

    it("stores a multi-chunk stream", async () => {
      const store = getStore();
      const key = `${base()}/stream.bin`;
      const chunks = Array.from({ length: 20 }, (_, i) => Buffer.alloc(10_000, i));
      const result = await store.put(key, Readable.from(chunks), { contentType: "application/octet-stream" });
      const whole = Buffer.concat(chunks);
      expect(result).toEqual({ size: whole.length, sha256: sha256(whole) });
      expect((await store.get(key)).equals(whole)).toBe(true);
    });

    it("stores an empty object", async () => {
      const store = getStore();
      const key = `${base()}/empty`;
      await store.put(key, Buffer.alloc(0));
      expect((await store.get(key)).length).toBe(0);
      expect(await store.head(key)).toMatchObject({ size: 0, sha256: sha256(Buffer.alloc(0)) });
    });

    it("replaces an object on put and updates its checksum", async () => {
      const store = getStore();
      const key = `${base()}/replace.txt`;
      await store.put(key, Buffer.from("first"));
      await store.put(key, Buffer.from("second!"));
      expect((await store.get(key)).toString()).toBe("second!");
      expect(await store.head(key)).toMatchObject({ size: 7, sha256: sha256(Buffer.from("second!")) });
    });

    it.runIf(atomicPuts)("keeps one whole object when puts race on a key", async () => {
      const store = getStore();
      const key = `${base()}/race.bin`;
      const bodies = Array.from({ length: 8 }, (_, i) => Buffer.alloc(50_000 + i, i));
      await Promise.all(bodies.map((body) => store.put(key, body)));
      const stored = await store.get(key);
      expect(bodies.some((body) => body.equals(stored))).toBe(true);
      expect((await store.head(key))?.size).toBe(stored.length);
    });

    it("handles non-ASCII keys", async () => {
      const store = getStore();
      const key = `${base()}/ünïcödé dir/日本語 ✓.zip`;
      await store.put(key, Buffer.from("x"));
      expect((await store.get(key)).toString()).toBe("x");
      expect((await store.list(key)).map((item) => item.key)).toEqual([key]);
    });

    it("reports missing objects", async () => {
      const store = getStore();
      const key = `${base()}/missing`;
      await expect(store.get(key)).rejects.toSatisfy((e) => isStorageError(e, "BLOB_NOT_FOUND"));
      await expect(store.getStream(key)).rejects.toSatisfy((e) => isStorageError(e, "BLOB_NOT_FOUND"));
      expect(await store.head(key)).toBeNull();
      await expect(store.delete(key)).resolves.toBeUndefined();
    });

    it("lists by plain string prefix, sorted, with sizes", async () => {
      const store = getStore();
      const root = base();
      const keys = [`${root}/b/2.zip`, `${root}/a/1`, `${root}/b/10.zip`, `${root}/bc`, `${root}/a/sub/deep.txt`];
      for (const [i, key] of keys.entries()) await store.put(key, Buffer.alloc(i + 1));
      expect((await store.list(`${root}/`)).map((item) => item.key)).toEqual(
        [`${root}/a/1`, `${root}/a/sub/deep.txt`, `${root}/b/10.zip`, `${root}/b/2.zip`, `${root}/bc`],
      );
      const underB = await store.list(`${root}/b`);
      expect(underB.map((item) => [item.key, item.size])).toEqual([
        [`${root}/b/10.zip`, 3],
        [`${root}/b/2.zip`, 1],
        [`${root}/bc`, 4],
      ]);
      expect(underB[0]?.lastModified).toBeInstanceOf(Date);
      expect(await store.list(`${root}/nothing/`)).toEqual([]);
    });

    it("deletes objects", async () => {
      const store = getStore();
      const key = `${base()}/gone.txt`;
      await store.put(key, Buffer.from("bye"));
      await store.delete(key);
      expect(await store.head(key)).toBeNull();
      await expect(store.get(key)).rejects.toSatisfy((e) => isStorageError(e, "BLOB_NOT_FOUND"));
      expect(await store.list(key)).toEqual([]);
    });

    it.each(["../escape", "/absolute", "a//b", "a/./b", "a/../../b", "", "a\\..\\b", "nul\u0000byte"])(
      "refuses the key %j with INVALID_PATH",
      async (key) => {
        const store = getStore();
        await expect(store.put(key, Buffer.from("x"))).rejects.toSatisfy((e) => isStorageError(e, "INVALID_PATH"));
        await expect(store.get(key)).rejects.toSatisfy((e) => isStorageError(e, "INVALID_PATH"));
        await expect(store.delete(key)).rejects.toSatisfy((e) => isStorageError(e, "INVALID_PATH"));
      },
    );
  });
}
