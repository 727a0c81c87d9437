import type { Redis } from "ioredis";
import type { LocalBlobStore } from "../blob/local-blob-store.js";
import { RedisFileStore } from "../redis/redis-file-store.js";
import type { StorageLimits } from "../storage-limits.js";
import type { ProjectRef } from "../tree-entry.js";
import { createTempBlobs, createTestRedis, deleteKeys, fixturePrefix, randomRef } from "./redis-test-context.js";

export interface StoreFixture {
  redis: Redis;
  blobs: LocalBlobStore;
  store: RedisFileStore;
  prefix: string;
  /** A fresh, loaded, empty project. */
  ref: ProjectRef;
  close(): Promise<void>;
}

/** A RedisFileStore on the real Redis with a temp blob folder and one empty loaded project. */
export async function createStoreFixture(limits: StorageLimits = {}): Promise<StoreFixture> {
  const redis = createTestRedis();
  const temp = await createTempBlobs();
  const prefix = fixturePrefix();
  const store = new RedisFileStore({ redis, blobs: temp.blobs, prefix, ...limits });
  const ref = randomRef();
  await store.importTree(ref, []);
  return {
    redis,
    blobs: temp.blobs,
    store,
    prefix,
    ref,
    async close() {
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await temp.cleanup();
    },
  };
}
