import type { Readable } from "node:stream";
import { ZipFile } from "yazl";
import { readAll } from "../blob/read-all.js";
import { comparePaths } from "../paths/compare-paths.js";
import type { TreeEntry } from "../tree-entry.js";

export interface WriteProjectZipOptions {
  /**
   * Deflate level 0-9 (0 stores files as they are).
   * @default 6
   */
  compressionLevel?: number;
  /**
   * Timestamp written on every entry (zip dates have a 2 s resolution).
   * @default now
   */
  mtime?: Date;
}

/**
 * Zips a project tree with full paths, binary files byte-exact and every directory as its own
 * entry (so empty ones survive), in path order. UTF-8 names are flagged as such.
 */
export async function writeProjectZip(entries: readonly TreeEntry[], options: WriteProjectZipOptions = {}): Promise<Buffer> {
  const { compressionLevel = 6, mtime = new Date() } = options;
  const zip = new ZipFile();
  const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path));
  const output = readAll(zip.outputStream as Readable);
  for (const entry of sorted) {
    if (entry.type === "directory") zip.addEmptyDirectory(entry.path, { mtime });
    else {
      zip.addBuffer(entry.content ?? Buffer.alloc(0), entry.path, { mtime, compressionLevel });
    }
  }
  zip.end();
  return (await output) as Buffer;
}
