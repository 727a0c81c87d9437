import type { BlobStore } from "./blob-store.js";

/**
 * Deletes blobs no entry points to any more. Best effort: a blob that fails to delete is garbage,
 * never a loss, so it must not fail the operation that made it garbage.
 */
export async function deleteBlobsQuietly(blobs: BlobStore, keys: readonly string[]): Promise<void> {
  await Promise.allSettled(keys.map((key) => blobs.delete(key)));
}
