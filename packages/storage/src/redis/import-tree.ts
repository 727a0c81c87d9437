import { randomUUID } from "node:crypto";
import { deleteBlobsQuietly } from "../blob/delete-blobs-quietly.js";
import { StorageError } from "../errors.js";
import { fileBlobKey, scriptKeys } from "../keys.js";
import { completeTree } from "../paths/complete-tree.js";
import type { ResolvedStorageLimits } from "../storage-limits.js";
import type { ProjectRef, TreeEntry } from "../tree-entry.js";
import { mapLimit } from "../util/map-limit.js";
import type { FileStoreContext } from "./file-store-context.js";
import { importTreeScript } from "./lua/import-tree.js";
import { runScript } from "./run-script.js";

export interface ImportOptions {
  /** Replace a loaded project's content; otherwise a loaded project is left alone. */
  replace?: boolean;
  /**
   * The project's version after the import is at least this (a restore continues the counter of
   * its backup).
   * @default 1
   */
  version?: number;
}

// Large files of an imported tree upload this many at a time.
const BLOB_UPLOADS = 8;

/**
 * Writes a whole tree at once (template apply, restore): parents are added where implied, all
 * limits are checked first, and nothing is written unless everything fits. Without `replace` a
 * project that is already loaded is left alone (`imported: false`).
 * @throws StorageError `INVALID_PATH`, `FILE_EXISTS` (a path twice), `NOT_A_DIRECTORY`,
 * `TOO_MANY_FILES`, `FILE_TOO_LARGE`, `PROJECT_QUOTA_EXCEEDED`
 */
export async function importTree(
  store: FileStoreContext,
  ref: ProjectRef,
  entries: readonly TreeEntry[],
  { replace = false, version = 1 }: ImportOptions = {},
): Promise<{ imported: boolean; version: number }> {
  const keys = store.keys(ref);
  const tree = completeTree(entries.map((entry) => ({ ...entry, path: store.validate(entry.path) })));
  checkTreeLimits(tree, store.limits);
  if (!replace) {
    // Cheap early exit before uploading large files; the script decides for real.
    const current = await store.redis.hget(keys.meta, "version");
    if (current !== null) return { imported: false, version: Number(current) };
  }
  const { maxFiles, maxProjectBytes, maxFileBytes, maxInlineBytes } = store.limits;
  const uploaded: string[] = [];
  try {
    const blobKeys = await mapLimit(tree, BLOB_UPLOADS, async (entry) => {
      if (entry.type !== "file" || !entry.content || entry.content.length <= maxInlineBytes) return undefined;
      const blobKey = fileBlobKey(ref, randomUUID());
      uploaded.push(blobKey);
      await store.blobs.put(blobKey, entry.content);
      return blobKey;
    });
    const args: (string | number | Buffer)[] = [replace ? "1" : "0", version, maxFiles, maxProjectBytes, maxFileBytes];
    for (const [i, entry] of tree.entries()) {
      const content = entry.type === "file" ? (entry.content ?? Buffer.alloc(0)) : undefined;
      const blobKey = blobKeys[i];
      if (blobKey !== undefined) args.push(entry.path, "file", "blob", blobKey, content?.length ?? 0);
      else args.push(entry.path, entry.type, content ? "inline" : "none", content ?? "", content?.length ?? 0);
    }
    const [imported, newVersion, ...replaced] = (await runScript(store.redis, importTreeScript, scriptKeys(keys), args)) as [
      number,
      number,
      ...string[],
    ];
    await deleteBlobsQuietly(store.blobs, imported === 1 ? replaced : uploaded);
    return { imported: imported === 1, version: newVersion };
  } catch (error) {
    await deleteBlobsQuietly(store.blobs, uploaded);
    throw error;
  }
}

function checkTreeLimits(tree: readonly TreeEntry[], { maxFiles, maxFileBytes, maxProjectBytes }: ResolvedStorageLimits): void {
  if (tree.length > maxFiles) throw new StorageError("TOO_MANY_FILES", `${tree.length} entries is more than ${maxFiles}`);
  let total = 0;
  for (const entry of tree) {
    const size = entry.type === "file" ? (entry.content?.length ?? 0) : 0;
    if (size > maxFileBytes) throw new StorageError("FILE_TOO_LARGE", `${entry.path} is larger than ${maxFileBytes} bytes`);
    total += size;
  }
  if (total > maxProjectBytes) throw new StorageError("PROJECT_QUOTA_EXCEEDED", `${total} bytes is more than ${maxProjectBytes}`);
}
