import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3rver, type S3rverResource } from "../test/start-s3rver.js";
import { describeBlobStoreContract } from "./blob-store.contract.js";
import type { S3BlobStore } from "./s3-blob-store.js";

let s3: S3rverResource;
let store: S3BlobStore;

beforeAll(async () => {
  s3 = await startS3rver();
  store = s3.createStore();
});

afterAll(async () => {
  await s3?.close();
});

describeBlobStoreContract("S3BlobStore (s3rver)", () => store, { atomicPuts: false });

describe("S3BlobStore", () => {
  it("lists past one page of results", async () => {
    const prefix = `paged/${Date.now()}/`;
    const keys = Array.from({ length: 1_005 }, (_, i) => `${prefix}${String(i).padStart(4, "0")}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => store.put(key, Buffer.from("x"))));
    }
    expect((await store.list(prefix)).map((item) => item.key)).toEqual(keys);
  });
});
