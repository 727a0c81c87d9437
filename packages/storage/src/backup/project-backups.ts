import { createHash } from "node:crypto";
import type { BlobStore } from "../blob/blob-store.js";
import { deleteBlobsQuietly } from "../blob/delete-blobs-quietly.js";
import { StorageError, isStorageError } from "../errors.js";
import { backupKey, backupPrefix, parseBackupKey } from "../keys.js";
import type { RedisFileStore } from "../redis/redis-file-store.js";
import type { ProjectRef, TreeEntry } from "../tree-entry.js";
import { readTemplateZip, type TemplateZipLimits } from "../zip/read-template-zip.js";
import { writeProjectZip } from "../zip/write-project-zip.js";
import { blobZipSource } from "../zip/zip-source.js";

export interface BackupInfo {
  key: string;
  size: number;
  sha256: string;
  /** Project version the snapshot was taken at. */
  version: number;
}

export interface BackupListItem {
  key: string;
  size: number;
  version: number;
  /** When the snapshot was taken (from the key). */
  takenAt: Date;
}

export interface ProjectBackupsOptions {
  store: RedisFileStore;
  blobs: BlobStore;
  /**
   * Backups kept per project; older ones are deleted after each verified backup.
   * @default 5
   */
  backupVersions?: number;
  /** Limits applied when reading a backup back (the project's own limits). */
  readLimits: TemplateZipLimits;
}

/**
 * Backups of projects as zips in the blob store, one object per snapshot under
 * `backups/l<lessonId>/p<ownerId>/<time>-v<version>.zip`.
 */
export class ProjectBackups {
  private readonly backupVersions: number;

  constructor(private readonly options: ProjectBackupsOptions) {
    this.backupVersions = options.backupVersions ?? 5;
    if (!Number.isSafeInteger(this.backupVersions) || this.backupVersions < 1) throw new TypeError("backupVersions must be at least 1");
  }

  /**
   * Zips a consistent snapshot, uploads it and verifies the stored object (size and SHA-256)
   * before recording it and pruning old versions.
   * @throws StorageError `PROJECT_NOT_LOADED`, `BLOB_VERIFY_FAILED`
   */
  async create(ref: ProjectRef): Promise<BackupInfo> {
    const { store, blobs } = this.options;
    const { version, entries } = await store.exportTree(ref);
    const zip = await writeProjectZip(entries);
    const sha256 = createHash("sha256").update(zip).digest("hex");
    const key = backupKey(ref, new Date(), version);
    const put = await blobs.put(key, zip, { contentType: "application/zip" });
    const head = await blobs.head(key);
    if (put.sha256 !== sha256 || head === null || head.size !== zip.length || head.sha256 !== sha256) {
      await deleteBlobsQuietly(blobs, [key]);
      throw new StorageError("BLOB_VERIFY_FAILED", `Backup ${key} did not verify (size or checksum differ)`);
    }
    await store.recordBackup(ref, version);
    await this.prune(ref, key);
    return { key, size: zip.length, sha256, version };
  }

  /** Newest first. */
  async list(ref: ProjectRef): Promise<BackupListItem[]> {
    const items: BackupListItem[] = [];
    for (const item of await this.options.blobs.list(backupPrefix(ref))) {
      const parsed = parseBackupKey(item.key);
      if (parsed) items.push({ key: item.key, size: item.size, version: parsed.version, takenAt: parsed.at });
    }
    return items.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.version - a.version);
  }

  async latest(ref: ProjectRef): Promise<BackupListItem | null> {
    return (await this.list(ref))[0] ?? null;
  }

  /**
   * Reads a backup back into a tree, with the same checks as a template.
   * @throws StorageError `BACKUP_NOT_FOUND`, `TEMPLATE_INVALID`
   */
  async read(ref: ProjectRef, key: string): Promise<{ version: number; entries: TreeEntry[] }> {
    const parsed = parseBackupKey(key);
    if (parsed === null || !key.startsWith(backupPrefix(ref))) throw new StorageError("BACKUP_NOT_FOUND", `${key} is not a backup of this project`);
    const head = await this.options.blobs.head(key);
    if (head === null) throw new StorageError("BACKUP_NOT_FOUND", `Backup ${key} does not exist`);
    const entries = await readTemplateZip(blobZipSource(this.options.blobs, key, head.size), this.options.readLimits).catch((error: unknown) => {
      // Deleted between the head and the read (pruned by another instance).
      throw isStorageError(error, "BLOB_NOT_FOUND") ? new StorageError("BACKUP_NOT_FOUND", `Backup ${key} does not exist`, { cause: error }) : error;
    });
    return { version: parsed.version, entries };
  }

  private async prune(ref: ProjectRef, keep: string): Promise<void> {
    const stale = (await this.list(ref)).slice(this.backupVersions).filter((item) => item.key !== keep);
    await deleteBlobsQuietly(this.options.blobs, stale.map((item) => item.key));
  }
}
