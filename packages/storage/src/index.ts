export { StorageError, isStorageError, storageErrorCodes, type StorageErrorCode, type TemplateInvalidReason } from "./errors.js";
export { validatePath, pathLimitDefaults, type PathLimits } from "./paths/validate-path.js";
export { storageLimitDefaults, type StorageLimits } from "./storage-limits.js";
export type { ProjectRef, TreeEntry } from "./tree-entry.js";
export { projectKeys, projectTag, backupKey, backupPrefix, fileBlobKey, type ProjectKeys } from "./keys.js";

export type { BlobStore, BlobHead, BlobListItem, BlobPutOptions, BlobPutResult, BlobRange } from "./blob/blob-store.js";
export { LocalBlobStore, type LocalBlobStoreOptions } from "./blob/local-blob-store.js";
export { S3BlobStore, type S3BlobStoreOptions } from "./blob/s3-blob-store.js";

export {
  RedisFileStore,
  type RedisFileStoreOptions,
  type FileList,
  type FileContent,
  type CreateEntryInput,
  type CursorAnnouncement,
  type EntryType,
  type ProjectActivity,
  type EvictOptions,
} from "./redis/redis-file-store.js";
export type { ImportOptions } from "./redis/import-tree.js";
export type { ReadManyOptions, ReadManyPage } from "./redis/read-many.js";
export type { FileEntry } from "./redis/stored-entry.js";
export type { RedisClient } from "./redis/redis-client.js";

export { readTemplateZip, templateZipLimitDefaults, type TemplateZipLimits } from "./zip/read-template-zip.js";
export { writeProjectZip, type WriteProjectZipOptions } from "./zip/write-project-zip.js";

export {
  ProjectFiles,
  type ProjectFilesOptions,
  type EnsureLoadedResult,
  type BackupAndEvictResult,
} from "./project-files.js";
export type { BackupInfo, BackupListItem } from "./backup/project-backups.js";
export { BackupWorker, type BackupWorkerOptions, type BackupRunReport } from "./backup-worker.js";
export { acquireLock, releaseLock, extendLock, withLock } from "./lock.js";
