import { ProjectBackups, type BackupInfo, type BackupListItem } from "./backup/project-backups.js";
import type { BlobStore } from "./blob/blob-store.js";
import { StorageError, isStorageError } from "./errors.js";
import { pollUntil, withLock } from "./lock.js";
import type { CreateEntryInput, CursorAnnouncement, EntryType, FileContent, FileList, RedisFileStore } from "./redis/redis-file-store.js";
import type { ReadManyOptions, ReadManyPage } from "./redis/read-many.js";
import type { FileEntry } from "./redis/stored-entry.js";
import { TemplateLoader } from "./template/template-loader.js";
import type { ProjectRef } from "./tree-entry.js";
import type { TemplateZipLimits } from "./zip/read-template-zip.js";
import { writeProjectZip } from "./zip/write-project-zip.js";

export interface ProjectFilesOptions {
  store: RedisFileStore;
  /**
   * Where templates and backups live.
   * @default store.blobs
   */
  blobs?: BlobStore;
  /**
   * Template key of a project's lesson (e.g. `lesson.templateKey` from the database), asked
   * when a project with no backup is loaded without an explicit `templateKey`.
   * @default () => null
   */
  templateKeyOf?: (ref: ProjectRef) => Promise<string | null | undefined>;
  /**
   * Backups kept per project.
   * @default 5
   */
  backupVersions?: number;
  /**
   * Entries a template may have.
   * @default store.limits.maxFiles
   */
  maxTemplateEntries?: number;
  /**
   * How long an unpacked template stays cached in Redis.
   * @default 600_000 (10 min)
   */
  templateCacheTtlMs?: number;
  /**
   * Lock held while one instance loads a project (or unpacks a template); renewed while it works.
   * @default 30_000
   */
  loadLockTtlMs?: number;
  /**
   * How long a caller waits for another instance to finish loading before `LOCKED`.
   * @default 60_000
   */
  loadTimeoutMs?: number;
  /**
   * Time between checks while waiting for another instance.
   * @default 25
   */
  pollMs?: number;
}

export interface EnsureLoadedResult {
  /** This call restored the project from its latest backup. */
  restored: boolean;
  /** This call applied the lesson template. */
  templateApplied: boolean;
}

export interface BackupAndEvictResult {
  /**
   * `evicted`: backed up and removed from Redis; `kept`: backed up, but it changed or was pinged
   * meanwhile; `active`: used within `idleMs`, nothing done; `not-loaded`: nothing to do.
   */
  status: "evicted" | "kept" | "active" | "not-loaded";
  backup?: BackupInfo;
}

const LOAD_ATTEMPTS = 3;

/**
 * A project's files as the API sees them: every operation loads the project first if it is not
 * in Redis (restoring its latest backup, else applying the lesson template, else starting empty;
 * once across instances, under a lock), then runs on the Redis store. Also backs projects up,
 * evicts idle ones, and serves their zip.
 */
export class ProjectFiles {
  readonly store: RedisFileStore;
  readonly blobs: BlobStore;
  readonly backups: ProjectBackups;
  private readonly templates: TemplateLoader;
  private readonly templateKeyOf: (ref: ProjectRef) => Promise<string | null | undefined>;
  private readonly loadLockTtlMs: number;
  private readonly loadTimeoutMs: number;
  private readonly pollMs: number;

  constructor(options: ProjectFilesOptions) {
    const { store } = options;
    this.store = store;
    this.blobs = options.blobs ?? store.blobs;
    this.templateKeyOf = options.templateKeyOf ?? (async () => null);
    this.loadLockTtlMs = options.loadLockTtlMs ?? 30_000;
    this.loadTimeoutMs = options.loadTimeoutMs ?? 60_000;
    this.pollMs = options.pollMs ?? 25;
    const { maxProjectBytes, maxFileBytes, maxFiles, maxPathBytes, maxSegmentBytes } = store.limits;
    const zipLimits: TemplateZipLimits = { maxTotalBytes: maxProjectBytes, maxFileBytes, maxPathBytes, maxSegmentBytes };
    this.templates = new TemplateLoader({
      redis: store.redis,
      blobs: this.blobs,
      prefix: store.prefix,
      limits: { ...zipLimits, maxEntries: options.maxTemplateEntries ?? maxFiles },
      ...(options.templateCacheTtlMs === undefined ? {} : { cacheTtlMs: options.templateCacheTtlMs }),
      lockTtlMs: this.loadLockTtlMs,
      pollMs: this.pollMs,
    });
    this.backups = new ProjectBackups({
      store,
      blobs: this.blobs,
      readLimits: { ...zipLimits, maxEntries: maxFiles },
      ...(options.backupVersions === undefined ? {} : { backupVersions: options.backupVersions }),
    });
  }

  /**
   * Makes sure the project is in Redis. Exactly one caller across instances loads it (the others
   * wait and get `false, false`): from the latest backup if there is one, else from the template
   * (`templateKey`, or `templateKeyOf(ref)` when undefined), else empty. A refused template
   * leaves no project behind.
   * @throws StorageError `TEMPLATE_INVALID`, `TEMPLATE_NOT_FOUND`, `LOCKED`
   */
  async ensureLoaded(ref: ProjectRef, { templateKey }: { templateKey?: string | null } = {}): Promise<EnsureLoadedResult> {
    const nothing: EnsureLoadedResult = { restored: false, templateApplied: false };
    const lockKey = this.store.keys(ref).loadLock;
    return pollUntil(
      async () => {
        if (await this.store.isLoaded(ref)) return nothing;
        const attempt = await withLock(this.store.redis, lockKey, { ttlMs: this.loadLockTtlMs }, () => this.load(ref, templateKey));
        return attempt.acquired ? attempt.value : undefined;
      },
      { timeoutMs: this.loadTimeoutMs, pollMs: this.pollMs, what: `project l${ref.lessonId}/p${ref.ownerId} to load` },
    );
  }

  list(ref: ProjectRef): Promise<FileList> {
    return this.withLoaded(ref, () => this.store.list(ref));
  }

  read(ref: ProjectRef, path: string): Promise<FileContent> {
    return this.withLoaded(ref, () => this.store.read(ref, path));
  }

  readMany(ref: ProjectRef, options: ReadManyOptions): Promise<ReadManyPage> {
    return this.withLoaded(ref, () => this.store.readMany(ref, options));
  }

  create(ref: ProjectRef, input: CreateEntryInput): Promise<FileEntry & { version: number }> {
    return this.withLoaded(ref, () => this.store.create(ref, input));
  }

  stat(ref: ProjectRef, path: string): Promise<{ id: number; type: EntryType; size: number; projectBytes: number; quota: number } | null> {
    return this.withLoaded(ref, () => this.store.stat(ref, path));
  }

  checkWrite(ref: ProjectRef, path: string, size: number): Promise<void> {
    return this.withLoaded(ref, () => this.store.checkWrite(ref, path, size));
  }

  write(ref: ProjectRef, path: string, content: Buffer, options?: { create?: boolean; docVersion?: number }): Promise<{ size: number; version: number }> {
    return this.withLoaded(ref, () => this.store.write(ref, path, content, options));
  }

  rename(ref: ProjectRef, path: string, newPath: string): Promise<{ path: string; newPath: string; type: EntryType; version: number }> {
    return this.withLoaded(ref, () => this.store.rename(ref, path, newPath));
  }

  delete(ref: ProjectRef, path: string): Promise<{ path: string; type: EntryType; version: number }> {
    return this.withLoaded(ref, () => this.store.delete(ref, path));
  }

  setCursor(ref: ProjectRef, viewerId: number, path: string, cursor: object): Promise<void> {
    return this.withLoaded(ref, () => this.store.setCursor(ref, viewerId, path, cursor));
  }

  /** setCursor with the cursor's event appended to its log in the same step. */
  setCursorAndAnnounce(ref: ProjectRef, viewerId: number, path: string, change: { cursor: object; announce: CursorAnnouncement }): Promise<string> {
    return this.withLoaded(ref, () => this.store.setCursorAndAnnounce(ref, viewerId, path, change));
  }

  /** Cursors are not part of backups, so an evicted project has none (null). */
  getCursor<T extends object = Record<string, unknown>>(ref: ProjectRef, viewerId: number, path: string): Promise<T | null> {
    return this.store.getCursor<T>(ref, viewerId, path);
  }

  /** project.ping: keeps the backup worker from evicting the project; false if not loaded. */
  touch(ref: ProjectRef): Promise<boolean> {
    return this.store.touch(ref);
  }

  /** The project as a zip (download); loads it first if needed. */
  async getProjectZip(ref: ProjectRef): Promise<Buffer> {
    const { entries } = await this.withLoaded(ref, () => this.store.exportTree(ref));
    return writeProjectZip(entries);
  }

  /** Backs the project up now (verified). @throws StorageError `PROJECT_NOT_LOADED`, `BLOB_VERIFY_FAILED` */
  backup(ref: ProjectRef): Promise<BackupInfo> {
    return this.backups.create(ref);
  }

  latestBackup(ref: ProjectRef): Promise<BackupListItem | null> {
    return this.backups.latest(ref);
  }

  listBackups(ref: ProjectRef): Promise<BackupListItem[]> {
    return this.backups.list(ref);
  }

  /**
   * If nobody changed or pinged the project for `idleMs`: backs it up, then evicts it unless it
   * changed or was pinged after the snapshot (checked atomically). A failed backup throws and
   * evicts nothing.
   */
  async backupAndEvictIfIdle(ref: ProjectRef, { idleMs }: { idleMs: number }): Promise<BackupAndEvictResult> {
    const activity = await this.store.activity(ref);
    if (activity === null) return { status: "not-loaded" };
    if (activity.idleMs < idleMs) return { status: "active" };
    const backup = await this.backups.create(ref);
    const evicted = await this.store.evict(ref, { ifVersion: backup.version, minIdleMs: idleMs });
    return { status: evicted ? "evicted" : "kept", backup };
  }

  /**
   * Replaces the project's content with a backup (the latest by default), loaded or not.
   * @throws StorageError `BACKUP_NOT_FOUND`, `TEMPLATE_INVALID` (unreadable backup), `LOCKED`
   */
  async restore(ref: ProjectRef, { key }: { key?: string } = {}): Promise<{ key: string; version: number; entries: number }> {
    const lockKey = this.store.keys(ref).loadLock;
    return pollUntil(
      async () => {
        const attempt = await withLock(this.store.redis, lockKey, { ttlMs: this.loadLockTtlMs }, async () => {
          const chosen = key ?? (await this.backups.latest(ref))?.key;
          if (chosen === undefined) throw new StorageError("BACKUP_NOT_FOUND", "The project has no backup");
          const backup = await this.backups.read(ref, chosen);
          const { version } = await this.store.importTree(ref, backup.entries, { replace: true, version: backup.version });
          await this.store.recordBackup(ref, version);
          return { key: chosen, version, entries: backup.entries.length };
        });
        return attempt.acquired ? attempt.value : undefined;
      },
      { timeoutMs: this.loadTimeoutMs, pollMs: this.pollMs, what: `project l${ref.lessonId}/p${ref.ownerId} to restore` },
    );
  }

  private async load(ref: ProjectRef, templateKey: string | null | undefined): Promise<EnsureLoadedResult> {
    if (await this.store.isLoaded(ref)) return { restored: false, templateApplied: false };
    const latest = await this.backups.latest(ref);
    if (latest !== null) {
      const backup = await this.backups.read(ref, latest.key);
      const { imported, version } = await this.store.importTree(ref, backup.entries, { version: backup.version });
      // The restored content is already backed up: the worker need not back it up again.
      if (imported) await this.store.recordBackup(ref, version);
      return { restored: imported, templateApplied: false };
    }
    const key = templateKey === undefined ? await this.templateKeyOf(ref) : templateKey;
    const entries = key ? await this.templates.load(key) : [];
    const { imported } = await this.store.importTree(ref, entries);
    return { restored: false, templateApplied: imported && Boolean(key) };
  }

  /** Runs `fn`; if the project turns out not to be loaded, loads it and runs `fn` again. */
  private async withLoaded<T>(ref: ProjectRef, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (!isStorageError(error, "PROJECT_NOT_LOADED") || attempt >= LOAD_ATTEMPTS) throw error;
        await this.ensureLoaded(ref);
      }
    }
  }
}
