import { randomUUID } from "node:crypto";
import type { AppendTarget } from "@cohort/realtime";
import type { BlobStore } from "../blob/blob-store.js";
import { deleteBlobsQuietly } from "../blob/delete-blobs-quietly.js";
import { StorageError, isStorageError } from "../errors.js";
import { assertKeyPrefix, fileBlobKey, projectKeys, scriptKeys, type ProjectKeys } from "../keys.js";
import { comparePaths } from "../paths/compare-paths.js";
import { parentPaths } from "../paths/parent-paths.js";
import { validatePath } from "../paths/validate-path.js";
import { resolveStorageLimits, type ResolvedStorageLimits, type StorageLimits } from "../storage-limits.js";
import { assertProjectRef, type ProjectRef, type TreeEntry } from "../tree-entry.js";
import { execMulti } from "./exec-multi.js";
import { exportTree } from "./export-tree.js";
import type { FileStoreContext } from "./file-store-context.js";
import { importTree, type ImportOptions } from "./import-tree.js";
import { listLoadedProjects } from "./list-loaded-projects.js";
import { deleteEntryScript } from "./lua/delete-entry.js";
import { evictProjectScript } from "./lua/evict-project.js";
import { projectActivityScript, recordBackupScript, setCursorAndAppendScript, setCursorScript, touchProjectScript } from "./lua/project-state.js";
import { putEntryScript } from "./lua/put-entry.js";
import { readFileScript } from "./lua/read-file.js";
import { statEntryScript } from "./lua/stat-entry.js";
import { readMany, type ReadManyOptions, type ReadManyPage } from "./read-many.js";
import { renameEntryScript } from "./lua/rename-entry.js";
import type { RedisClient } from "./redis-client.js";
import { runScript, runScriptBuffer } from "./run-script.js";
import { parseStoredEntry, toFileEntry, type FileEntry } from "./stored-entry.js";

export interface RedisFileStoreOptions extends StorageLimits {
  redis: RedisClient;
  /** Holds the content of files larger than `maxInlineBytes`. */
  blobs: BlobStore;
  /**
   * Prefix of every key (`REDIS_KEY_PREFIX`); must not contain `{` or `}`.
   * @default "cohort:"
   */
  prefix?: string;
}

export type EntryType = "file" | "directory";

/** An event appended to a topic log by the same script that stores a cursor. */
export interface CursorAnnouncement {
  /** The log's stream and channel; the stream must carry the project's hash tag. */
  target: AppendTarget;
  /** The event's JSON, as the log stores it. */
  event: string;
}

export interface FileList {
  /** Sorted by path (UTF-8 byte order). */
  entries: FileEntry[];
  totalSize: number;
  /** `maxProjectBytes`. */
  quota: number;
  version: number;
}

export interface FileContent {
  path: string;
  content: Buffer;
  size: number;
}

export interface CreateEntryInput {
  path: string;
  type: EntryType;
  /** Content of a new file (empty when omitted); ignored for a directory. */
  content?: Buffer;
}

export interface ProjectActivity {
  version: number;
  /** Time since the last change or ping, on the Redis clock. */
  idleMs: number;
  /** Version of the last recorded backup, or null. */
  backupVersion: number | null;
  backupAgeMs: number | null;
}

export interface EvictOptions {
  /** Evict only if the project is still at this version (the one its backup holds). */
  ifVersion?: number;
  /** Evict only if nobody changed or pinged the project for this long. */
  minIdleMs?: number;
}

type PutMode = "create" | "replace" | "upsert";

// A blob can vanish between reading its pointer and fetching it (the file was replaced and the
// old blob deleted); reading again then finds the new pointer.
const BLOB_READ_ATTEMPTS = 3;

// Listings kept per instance; a 5,000-file listing is about 1 MB.
const LIST_CACHE_PROJECTS = 100;

/**
 * A project's files in Redis. Every mutation is one Lua script that checks everything before it
 * writes, so a refused operation changes nothing and concurrent ones never overshoot a limit.
 * Creating or renaming to a path creates its missing parent directories, as IDEs expect.
 *
 * Operations on a project that is not loaded fail with `PROJECT_NOT_LOADED` rather than quietly
 * starting an empty one (which would shadow its backup); `ProjectFiles` loads and retries.
 */
export class RedisFileStore implements FileStoreContext {
  readonly redis: RedisClient;
  readonly blobs: BlobStore;
  readonly prefix: string;
  readonly limits: ResolvedStorageLimits;
  /** Recent listings by project, each valid for one version (callers must not mutate them). */
  readonly #listCache = new Map<string, { stamp: string; list: FileList }>();

  constructor({ redis, blobs, prefix = "cohort:", ...limits }: RedisFileStoreOptions) {
    assertKeyPrefix(prefix);
    this.redis = redis;
    this.blobs = blobs;
    this.prefix = prefix;
    this.limits = resolveStorageLimits(limits);
  }

  keys(ref: ProjectRef): ProjectKeys {
    assertProjectRef(ref);
    return projectKeys(this.prefix, ref);
  }

  /** @throws StorageError `INVALID_PATH` */
  validate(path: string): string {
    return validatePath(path, { maxBytes: this.limits.maxPathBytes, maxSegmentBytes: this.limits.maxSegmentBytes });
  }

  /** Every entry, read in one transaction. @throws StorageError `PROJECT_NOT_LOADED` */
  async list(ref: ProjectRef): Promise<FileList> {
    const keys = this.keys(ref);
    // Every change bumps the version, and a reload (restore) sets a new createdAt: a list already
    // built for the same pair is still exact, so a large project is not re-read and re-sorted.
    const [version, createdAt] = await this.redis.hmget(keys.meta, "version", "createdAt");
    if (version == null) throw new StorageError("PROJECT_NOT_LOADED", "The project is not loaded");
    const stamp = `${version}:${createdAt ?? ""}`;
    const cached = this.#listCache.get(keys.meta);
    if (cached?.stamp === stamp) return cached.list;
    const [entries, meta] = await execMulti(this.redis.multi().hgetall(keys.entries).hmget(keys.meta, "version", "totalSize", "createdAt"));
    const [readVersion, totalSize, readCreatedAt] = meta as (string | null)[];
    if (readVersion == null) throw new StorageError("PROJECT_NOT_LOADED", "The project is not loaded");
    const list = Object.entries(entries as Record<string, string>).map(([path, raw]) => toFileEntry(path, parseStoredEntry(raw)));
    list.sort((a, b) => comparePaths(a.path, b.path));
    const result: FileList = { entries: list, totalSize: Number(totalSize ?? 0), quota: this.limits.maxProjectBytes, version: Number(readVersion) };
    this.#listCache.delete(keys.meta);
    if (this.#listCache.size >= LIST_CACHE_PROJECTS) this.#listCache.delete(this.#listCache.keys().next().value as string);
    this.#listCache.set(keys.meta, { stamp: `${readVersion}:${readCreatedAt ?? ""}`, list: result });
    return result;
  }

  /** @throws StorageError `FILE_NOT_FOUND`, `IS_A_DIRECTORY`, `INVALID_PATH`, `PROJECT_NOT_LOADED` */
  async read(ref: ProjectRef, path: string): Promise<FileContent> {
    this.validate(path);
    const keys = scriptKeys(this.keys(ref));
    for (let attempt = 1; ; attempt++) {
      const [raw, inline] = (await runScriptBuffer(this.redis, readFileScript, keys, [path])) as Buffer[];
      const entry = parseStoredEntry(raw as Buffer);
      if (entry.blob === undefined) return { path, content: inline ?? Buffer.alloc(0), size: entry.size };
      try {
        const content = await this.blobs.get(entry.blob);
        return { path, content, size: content.length };
      } catch (error) {
        if (!isStorageError(error, "BLOB_NOT_FOUND") || attempt >= BLOB_READ_ATTEMPTS) throw error;
      }
    }
  }

  /** See {@link readMany}. */
  readMany(ref: ProjectRef, options: ReadManyOptions): Promise<ReadManyPage> {
    return readMany(this, ref, options);
  }

  /**
   * Creates a file or an empty directory (and missing parents).
   * @throws StorageError `FILE_EXISTS`, `NOT_A_DIRECTORY`, `FILE_TOO_LARGE`,
   * `PROJECT_QUOTA_EXCEEDED`, `TOO_MANY_FILES`, `INVALID_PATH`, `PROJECT_NOT_LOADED`
   */
  async create(ref: ProjectRef, { path, type, content }: CreateEntryInput): Promise<FileEntry & { version: number }> {
    this.validate(path);
    if (type !== "file" && type !== "directory") throw new TypeError(`Unknown entry type ${String(type)}`);
    const body = type === "file" ? (content ?? Buffer.alloc(0)) : undefined;
    const { version, mtime, size } = await this.put(ref, { path, type, content: body, mode: "create" });
    return { ...toFileEntry(path, { id: 0, type, size, mtime }), version };
  }

  /**
   * Replaces a file's content (creating it, and its parents, with `create: true`).
   * @throws StorageError `FILE_NOT_FOUND`, `IS_A_DIRECTORY`, `NOT_A_DIRECTORY`, `FILE_TOO_LARGE`,
   * `PROJECT_QUOTA_EXCEEDED`, `TOO_MANY_FILES`, `INVALID_PATH`, `PROJECT_NOT_LOADED`
   */
  async write(
    ref: ProjectRef,
    path: string,
    content: Buffer,
    { create = false, docVersion }: { create?: boolean; docVersion?: number } = {},
  ): Promise<{ size: number; version: number }> {
    this.validate(path);
    const { size, version } = await this.put(ref, { path, type: "file", content, mode: create ? "upsert" : "replace", docVersion });
    return { size, version };
  }

  /**
   * Id (stable across renames), type and size of an entry, with the project's total and quota (so
   * a caller can check a change against them without another round trip), or null.
   * @throws StorageError `INVALID_PATH`, `PROJECT_NOT_LOADED`
   */
  async stat(ref: ProjectRef, path: string): Promise<{ id: number; type: EntryType; size: number; projectBytes: number; quota: number } | null> {
    this.validate(path);
    const { raw, total } = await this.entryAndTotal(ref, path);
    if (raw === null) return null;
    const entry = parseStoredEntry(raw);
    return { id: entry.id, type: entry.type, size: entry.size, projectBytes: total, quota: this.limits.maxProjectBytes };
  }

  /**
   * Refuses, without writing, what a write of `size` bytes to `path` would be refused for (file
   * size, project quota). Advisory: the write itself checks again atomically.
   * @throws StorageError `FILE_TOO_LARGE`, `PROJECT_QUOTA_EXCEEDED`, `PROJECT_NOT_LOADED`
   */
  async checkWrite(ref: ProjectRef, path: string, size: number): Promise<void> {
    const { maxFileBytes, maxProjectBytes } = this.limits;
    if (size > maxFileBytes) throw new StorageError("FILE_TOO_LARGE", `${path} would be larger than ${maxFileBytes} bytes`);
    const { raw, total } = await this.entryAndTotal(ref, path);
    const current = raw ? parseStoredEntry(raw).size : 0;
    if (size > current && total - current + size > maxProjectBytes) {
      throw new StorageError("PROJECT_QUOTA_EXCEEDED", `Writing ${path} would take the project past ${maxProjectBytes} bytes`);
    }
  }

  /**
   * Moves a file, or a directory with everything under it, atomically. Missing parents of
   * `newPath` are created; `newPath` must not exist.
   * @throws StorageError `FILE_NOT_FOUND`, `FILE_EXISTS`, `NOT_A_DIRECTORY`, `TOO_MANY_FILES`,
   * `INVALID_PATH` (also for a directory into itself, or a moved path growing past the limit)
   */
  async rename(ref: ProjectRef, path: string, newPath: string): Promise<{ path: string; newPath: string; type: EntryType; version: number }> {
    this.validate(path);
    this.validate(newPath);
    const { maxPathBytes, maxFiles } = this.limits;
    const args = [path, newPath, maxPathBytes, maxFiles, ...parentPaths(newPath)];
    const [version, type] = (await runScript(this.redis, renameEntryScript, scriptKeys(this.keys(ref)), args)) as [number, EntryType];
    return { path, newPath, type, version };
  }

  /** Deletes a file, or a directory with everything under it, atomically. */
  async delete(ref: ProjectRef, path: string): Promise<{ path: string; type: EntryType; version: number }> {
    this.validate(path);
    const reply = await runScript(this.redis, deleteEntryScript, scriptKeys(this.keys(ref)), [path]);
    const [version, type, ...blobs] = reply as [number, EntryType, ...string[]];
    await deleteBlobsQuietly(this.blobs, blobs);
    return { path, type, version };
  }

  /** Keeps a viewer's last cursor on a file (moved by renames, dropped by deletes). */
  async setCursor(ref: ProjectRef, viewerId: number, path: string, cursor: object): Promise<void> {
    await runScript(this.redis, setCursorScript, scriptKeys(this.keys(ref)), this.cursorArgs(viewerId, path, cursor));
  }

  /** setCursor, and the cursor's event appended to its log in the same step (see CursorAnnouncement); returns the event's id. */
  async setCursorAndAnnounce(ref: ProjectRef, viewerId: number, path: string, { cursor, announce }: { cursor: object; announce: CursorAnnouncement }): Promise<string> {
    const { target, event } = announce;
    const keys = [...scriptKeys(this.keys(ref)), target.key];
    const args = [...this.cursorArgs(viewerId, path, cursor), target.channel, target.maxLen, target.maxAgeMs, event];
    return String(await runScript(this.redis, setCursorAndAppendScript, keys, args));
  }

  private cursorArgs(viewerId: number, path: string, cursor: object): string[] {
    this.validate(path);
    assertViewerId(viewerId);
    return [`${viewerId}:${path}`, path, JSON.stringify(cursor)];
  }

  async getCursor<T extends object = Record<string, unknown>>(ref: ProjectRef, viewerId: number, path: string): Promise<T | null> {
    this.validate(path);
    assertViewerId(viewerId);
    const raw = await this.redis.hget(this.keys(ref).cursors, `${viewerId}:${path}`);
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  /** The change counter, or null when the project is not loaded. */
  async version(ref: ProjectRef): Promise<number | null> {
    const raw = await this.redis.hget(this.keys(ref).meta, "version");
    return raw === null ? null : Number(raw);
  }

  async isLoaded(ref: ProjectRef): Promise<boolean> {
    return (await this.redis.exists(this.keys(ref).meta)) === 1;
  }

  /** Marks the project recently active (project.ping); false when it is not loaded. */
  async touch(ref: ProjectRef): Promise<boolean> {
    return (await runScript(this.redis, touchProjectScript, scriptKeys(this.keys(ref)))) === 1;
  }

  /** Version, idleness and last backup, or null when not loaded. */
  async activity(ref: ProjectRef): Promise<ProjectActivity | null> {
    const reply = (await runScript(this.redis, projectActivityScript, scriptKeys(this.keys(ref)))) as number[] | null;
    if (reply === null) return null;
    const [version = 0, idleMs = 0, backupVersion = -1, backupAgeMs = -1] = reply;
    return { version, idleMs, backupVersion: backupVersion < 0 ? null : backupVersion, backupAgeMs: backupAgeMs < 0 ? null : backupAgeMs };
  }

  /** Notes that a verified backup of `version` exists (read back through `activity`). */
  async recordBackup(ref: ProjectRef, version: number): Promise<void> {
    await runScript(this.redis, recordBackupScript, scriptKeys(this.keys(ref)), [version]);
  }

  /**
   * Removes the project from Redis, with its large-file blobs, if the conditions hold, all in
   * one step. Returns false when it was not loaded, had changed, or was active.
   */
  async evict(ref: ProjectRef, { ifVersion, minIdleMs }: EvictOptions = {}): Promise<boolean> {
    const args = [ifVersion ?? "", minIdleMs ?? ""];
    const reply = await runScript(this.redis, evictProjectScript, scriptKeys(this.keys(ref)), args);
    const [evicted, , ...blobs] = reply as [number, string, ...string[]];
    if (evicted !== 1) return false;
    await deleteBlobsQuietly(this.blobs, blobs);
    return true;
  }

  /** See {@link importTree}. */
  importTree(ref: ProjectRef, entries: readonly TreeEntry[], options?: ImportOptions): Promise<{ imported: boolean; version: number }> {
    return importTree(this, ref, entries, options);
  }

  /** See {@link exportTree}. */
  exportTree(ref: ProjectRef): Promise<{ version: number; entries: TreeEntry[] }> {
    return exportTree(this, ref);
  }

  /** Every project loaded under this store's prefix (SCAN). */
  listLoaded(): Promise<ProjectRef[]> {
    return listLoadedProjects(this.redis, this.prefix);
  }

  /** The stored entry at `path` (null if none) and the project's total size, in one command. */
  private async entryAndTotal(ref: ProjectRef, path: string): Promise<{ raw: string | null; total: number }> {
    const [raw, total] = (await runScript(this.redis, statEntryScript, scriptKeys(this.keys(ref)), [path])) as [string | null, string];
    return { raw, total: Number(total) };
  }

  private async put(
    ref: ProjectRef,
    { path, type, content, mode, docVersion }: { path: string; type: EntryType; content: Buffer | undefined; mode: PutMode; docVersion?: number | undefined },
  ): Promise<{ version: number; mtime: number; size: number }> {
    const keys = scriptKeys(this.keys(ref));
    const size = content?.length ?? 0;
    const { maxFileBytes, maxProjectBytes, maxFiles, maxInlineBytes } = this.limits;
    // Refuse before uploading anything; the script checks again against the running totals.
    if (size > maxFileBytes) throw new StorageError("FILE_TOO_LARGE", `${path} is larger than ${maxFileBytes} bytes`);
    // A live document's text (a write with `docVersion`) stays inline whatever its size. It is
    // rewritten after every accepted edit, and as a blob each keystroke on a large file cost a
    // put and a delete in the blob store (S3 requests the edit's acknowledgement waited for). The
    // document's own state is in Redis already, so this at most doubles what the file holds there
    // while the project is loaded; backups and re-imports store it as a blob again.
    const offload = content !== undefined && size > maxInlineBytes && docVersion === undefined;
    const blobKey = offload ? fileBlobKey(ref, randomUUID()) : undefined;
    if (blobKey !== undefined) await this.blobs.put(blobKey, content as Buffer);
    const storage = blobKey !== undefined ? "blob" : content !== undefined ? "inline" : "none";
    const args = [mode, type, storage, blobKey ?? content ?? "", size, maxFileBytes, maxProjectBytes, maxFiles, path, docVersion ?? "", ...parentPaths(path)];
    try {
      const [version, , mtime, replaced, skipped] = (await runScript(this.redis, putEntryScript, keys, args)) as [number, number, number, string, number];
      if (skipped === 1 && blobKey !== undefined) await deleteBlobsQuietly(this.blobs, [blobKey]);
      if (replaced) await deleteBlobsQuietly(this.blobs, [replaced]);
      return { version, mtime, size };
    } catch (error) {
      if (blobKey !== undefined) await deleteBlobsQuietly(this.blobs, [blobKey]);
      throw error;
    }
  }
}

function assertViewerId(viewerId: number): void {
  if (!Number.isSafeInteger(viewerId) || viewerId <= 0) throw new TypeError(`viewerId must be a positive integer, got ${viewerId}`);
}
