import type { BlobStore } from "../blob/blob-store.js";
import type { ProjectKeys } from "../keys.js";
import type { ResolvedStorageLimits } from "../storage-limits.js";
import type { ProjectRef } from "../tree-entry.js";
import type { RedisClient } from "./redis-client.js";

/** What the store's operations that live in their own files need from it. */
export interface FileStoreContext {
  readonly redis: RedisClient;
  readonly blobs: BlobStore;
  readonly limits: ResolvedStorageLimits;
  keys(ref: ProjectRef): ProjectKeys;
  validate(path: string): string;
}
