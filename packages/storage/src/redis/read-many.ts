import { StorageError, isStorageError } from "../errors.js";
import { scriptKeys } from "../keys.js";
import { comparePaths } from "../paths/compare-paths.js";
import type { ProjectRef } from "../tree-entry.js";
import { mapLimit } from "../util/map-limit.js";
import { execMulti } from "./exec-multi.js";
import type { FileStoreContext } from "./file-store-context.js";
import { readManyScript } from "./lua/read-many.js";
import type { FileContent } from "./redis-file-store.js";
import { runScriptBuffer } from "./run-script.js";
import { parseStoredEntry } from "./stored-entry.js";

export interface ReadManyOptions {
  /** The files to read; every file of the project when omitted. */
  paths?: readonly string[] | undefined;
  /** Start after this path (the `nextCursor` of the previous page). */
  cursor?: string | undefined;
  /** Files in one page. */
  maxFiles: number;
  /** Sum of the file sizes in one page; a larger file still comes, alone. */
  maxBytes: number;
}

export interface ReadManyPage {
  /** In path order (UTF-8 byte order). */
  files: FileContent[];
  /** Where the next page starts, or null when this page holds the rest. */
  nextCursor: string | null;
}

// A blob can be replaced (and the old one deleted) between reading its pointer and fetching it;
// the page is then read again and finds the new pointer.
const ATTEMPTS = 3;
const BLOB_FETCHES = 8;

/**
 * A page of files: their entries and inline bytes read in one script (one version), large files
 * fetched from the blob store after. Named paths must all be files; without paths, whatever is
 * a file when the page is read is read.
 * @throws StorageError `FILE_NOT_FOUND`, `IS_A_DIRECTORY` (named paths), `INVALID_PATH`, `PROJECT_NOT_LOADED`
 */
export async function readMany(
  store: FileStoreContext,
  ref: ProjectRef,
  { paths, cursor, maxFiles, maxBytes }: ReadManyOptions,
): Promise<ReadManyPage> {
  if (!(maxFiles >= 1 && maxBytes >= 1)) throw new TypeError("maxFiles and maxBytes must be at least 1");
  if (cursor !== undefined) store.validate(cursor);
  for (const path of paths ?? []) store.validate(path);
  const strict = paths !== undefined;
  const ordered = [...new Set(paths ?? (await allPaths(store, ref)))].sort(comparePaths);
  // Every remaining path is sent: named ones must all be checked, and the script stops reading
  // (and skips directories) as soon as the page is full.
  const candidates = cursor === undefined ? ordered : ordered.filter((path) => comparePaths(path, cursor) > 0);
  if (candidates.length === 0) return { files: [], nextCursor: null };
  const keys = scriptKeys(store.keys(ref));
  for (let attempt = 1; ; attempt++) {
    const reply = (await runScriptBuffer(store.redis, readManyScript, keys, [maxFiles, maxBytes, strict ? "1" : "0", ...candidates])) as [number, ...(number | Buffer)[]];
    const consumed = reply[0];
    const files: FileContent[] = [];
    // Most files are inline and done here; only large ones wait for the blob store.
    const large: { index: number; blob: string }[] = [];
    for (let i = 1; i < reply.length; i += 3) {
      const path = candidates[(reply[i] as number) - 1] as string;
      const entry = parseStoredEntry(reply[i + 1] as Buffer);
      if (entry.blob !== undefined) large.push({ index: files.length, blob: entry.blob });
      files.push({ path, content: reply[i + 2] as Buffer, size: entry.size });
    }
    try {
      await mapLimit(large, BLOB_FETCHES, async ({ index, blob }) => {
        const file = files[index] as FileContent;
        const content = await store.blobs.get(blob);
        files[index] = { path: file.path, content, size: content.length };
      });
      const more = consumed < candidates.length;
      return { files, nextCursor: more ? (candidates[consumed - 1] as string) : null };
    } catch (error) {
      if (!isStorageError(error, "BLOB_NOT_FOUND") || attempt >= ATTEMPTS) throw error;
    }
  }
}

/**
 * Every path of the project, files and directories: only the names, so that reading a project
 * does not parse (and cache) a whole listing first.
 * @throws StorageError `PROJECT_NOT_LOADED`
 */
async function allPaths(store: FileStoreContext, ref: ProjectRef): Promise<string[]> {
  const keys = store.keys(ref);
  const [paths, loaded] = await execMulti(store.redis.multi().hkeys(keys.entries).exists(keys.meta));
  if (loaded !== 1) throw new StorageError("PROJECT_NOT_LOADED", "The project is not loaded");
  return paths as string[];
}
