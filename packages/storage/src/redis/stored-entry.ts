/** An entry as kept in the entries hash (the path is the hash field). */
export interface StoredEntry {
  /** Stable per project: content is keyed by it, so a rename never moves bytes. */
  id: number;
  type: "file" | "directory";
  size: number;
  /** Last change, epoch ms on the Redis clock. */
  mtime: number;
  /** Blob-store key when the file is too large to keep inline. */
  blob?: string;
}

/** What `list` returns per entry (API.md `files.list`). */
export interface FileEntry {
  path: string;
  type: "file" | "directory";
  size: number;
  /** ISO-8601. */
  updatedAt: string;
}

export function parseStoredEntry(raw: string | Buffer): StoredEntry {
  return JSON.parse(raw.toString()) as StoredEntry;
}

export function toFileEntry(path: string, entry: StoredEntry): FileEntry {
  return { path, type: entry.type, size: entry.size, updatedAt: new Date(entry.mtime).toISOString() };
}
