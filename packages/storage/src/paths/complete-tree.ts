import { StorageError } from "../errors.js";
import type { TreeEntry } from "../tree-entry.js";
import { comparePaths } from "./compare-paths.js";
import { parentPaths } from "./parent-paths.js";

/**
 * Adds the directories a tree implies but does not list (`a/b.txt` implies `a`), and sorts by
 * path so parents come before children. Refuses a path listed twice or used both as a file and
 * as a directory; paths must already be valid.
 * @throws StorageError `FILE_EXISTS` (duplicate) or `NOT_A_DIRECTORY` (a file used as a parent)
 */
export function completeTree(entries: readonly TreeEntry[]): TreeEntry[] {
  const byPath = new Map<string, TreeEntry>();
  for (const entry of entries) {
    if (byPath.has(entry.path)) {
      throw new StorageError("FILE_EXISTS", `${entry.path} is listed twice`);
    }
    byPath.set(entry.path, entry);
  }
  for (const entry of entries) {
    for (const parent of parentPaths(entry.path)) {
      const existing = byPath.get(parent);
      if (existing === undefined) byPath.set(parent, { path: parent, type: "directory" });
      else if (existing.type !== "directory") {
        throw new StorageError("NOT_A_DIRECTORY", `${parent} is a file but ${entry.path} is inside it`);
      }
    }
  }
  return [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path));
}
