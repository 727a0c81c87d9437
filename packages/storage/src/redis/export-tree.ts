import { isStorageError, StorageError } from "../errors.js";
import { comparePaths } from "../paths/compare-paths.js";
import { mapLimit } from "../util/map-limit.js";
import type { ProjectRef, TreeEntry } from "../tree-entry.js";
import { execMulti } from "./exec-multi.js";
import type { FileStoreContext } from "./file-store-context.js";
import { parseStoredEntry } from "./stored-entry.js";

// A large file's blob can be replaced (and the old one deleted) between the snapshot and the
// fetch; the snapshot is then taken again.
const ATTEMPTS = 3;
const BLOB_FETCHES = 8;

/**
 * A consistent snapshot of a whole project: every entry and inline content read in one
 * transaction (one version), large files fetched after, parents before children.
 * @throws StorageError `PROJECT_NOT_LOADED`
 */
export async function exportTree(store: FileStoreContext, ref: ProjectRef): Promise<{ version: number; entries: TreeEntry[] }> {
  const keys = store.keys(ref);
  for (let attempt = 1; ; attempt++) {
    const [rawEntries, rawContents, rawVersion] = await execMulti(
      store.redis.multi().hgetall(keys.entries).hgetallBuffer(keys.contents).hget(keys.meta, "version"),
    );
    if (rawVersion == null) throw new StorageError("PROJECT_NOT_LOADED", "The project is not loaded");
    const contents = rawContents as Record<string, Buffer>;
    const stored = Object.entries(rawEntries as Record<string, string>)
      .map(([path, raw]) => ({ path, entry: parseStoredEntry(raw) }))
      .sort((a, b) => comparePaths(a.path, b.path));
    try {
      const entries = await mapLimit(stored, BLOB_FETCHES, async ({ path, entry }): Promise<TreeEntry> => {
          if (entry.type === "directory") return { path, type: "directory" };
          const content = entry.blob === undefined ? (contents[String(entry.id)] ?? Buffer.alloc(0)) : await store.blobs.get(entry.blob);
          return { path, type: "file", content };
      });
      return { version: Number(rawVersion), entries };
    } catch (error) {
      if (!isStorageError(error, "BLOB_NOT_FOUND") || attempt >= ATTEMPTS) throw error;
    }
  }
}
