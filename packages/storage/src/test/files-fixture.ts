import type { Redis } from "ioredis";
import { ProjectFiles, type ProjectFilesOptions } from "../project-files.js";
import { RedisFileStore } from "../redis/redis-file-store.js";
import type { StorageLimits } from "../storage-limits.js";
import type { BlobStore } from "../blob/blob-store.js";
import type { ProjectRef } from "../tree-entry.js";
import { InstrumentedBlobStore } from "./instrumented-blob-store.js";
import { createTempBlobs, createTestRedis, deleteKeys, fixturePrefix, projectKeysIn, randomRef } from "./redis-test-context.js";

export interface FilesFixture {
  blobs: InstrumentedBlobStore;
  prefix: string;
  ref: ProjectRef;
  /** A ProjectFiles with its own Redis connection, as on another server instance. */
  instance(options?: Omit<ProjectFilesOptions, "store">): ProjectFiles;
  files: ProjectFiles;
  redis: Redis;
  keysLeft(ref?: ProjectRef): Promise<string[]>;
  close(): Promise<void>;
}

export interface FilesFixtureOptions {
  limits?: StorageLimits;
  /** @default a LocalBlobStore in a temp folder */
  blobStore?: BlobStore;
}

/** ProjectFiles on the real Redis, in a key space of its own (the backup worker SCANs it). */
export async function createFilesFixture({ limits = {}, blobStore }: FilesFixtureOptions = {}): Promise<FilesFixture> {
  const temp = blobStore ? undefined : await createTempBlobs();
  const blobs = new InstrumentedBlobStore(blobStore ?? (temp?.blobs as BlobStore));
  const prefix = fixturePrefix();
  const connections: Redis[] = [];
  const instance = (options: Omit<ProjectFilesOptions, "store"> = {}) => {
    const redis = createTestRedis();
    connections.push(redis);
    return new ProjectFiles({ store: new RedisFileStore({ redis, blobs, prefix, ...limits }), pollMs: 10, ...options });
  };
  const files = instance();
  const redis = files.store.redis as Redis;
  const ref = randomRef();
  return {
    blobs,
    prefix,
    ref,
    instance,
    files,
    redis,
    keysLeft: (other = ref) => projectKeysIn(redis, prefix, other),
    async close() {
      await deleteKeys(redis, prefix);
      for (const connection of connections) connection.disconnect();
      await temp?.cleanup();
    },
  };
}
