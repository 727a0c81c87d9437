/**
 * Stable reasons a storage operation refuses. The API layer maps each code to a tRPC code and
 * `appCode` in one place; nothing here knows about transports.
 */
export const storageErrorCodes = [
  "INVALID_PATH",
  "FILE_EXISTS",
  "FILE_NOT_FOUND",
  "NOT_A_DIRECTORY",
  "IS_A_DIRECTORY",
  "PROJECT_QUOTA_EXCEEDED",
  "TOO_MANY_FILES",
  "FILE_TOO_LARGE",
  "TEMPLATE_INVALID",
  // The lesson names a template zip that the blob store does not have.
  "TEMPLATE_NOT_FOUND",
  "BACKUP_NOT_FOUND",
  "BLOB_NOT_FOUND",
  "BLOB_VERIFY_FAILED",
  "LOCKED",
  // The project is not in Redis (never created, or evicted after a backup). `ProjectFiles`
  // catches this, restores or creates the project once, and retries.
  "PROJECT_NOT_LOADED",
] as const;

export type StorageErrorCode = (typeof storageErrorCodes)[number];

/** Why a template (or backup) zip was refused; set on `TEMPLATE_INVALID` errors. */
export type TemplateInvalidReason =
  | "ZIP_SLIP"
  | "ABSOLUTE_PATH"
  | "SYMLINK"
  | "ZIP_BOMB"
  | "TOO_MANY_ENTRIES"
  | "CORRUPT"
  /** A name that is not valid UTF-8 or breaks a path rule other than slip/absolute. */
  | "INVALID_NAME"
  /** The same path twice, or a path that is both a file and a directory. */
  | "DUPLICATE_ENTRY"
  /** One file is larger than `maxFileBytes` (the archive as a whole may be fine). */
  | "FILE_TOO_LARGE"
  /** The compressed archive itself is larger than `maxArchiveBytes`. */
  | "ARCHIVE_TOO_LARGE"
  /** Encryption, an unknown compression method, or a device/FIFO entry. */
  | "UNSUPPORTED";

export interface StorageErrorOptions {
  reason?: TemplateInvalidReason;
  cause?: unknown;
}

export class StorageError extends Error {
  override readonly name = "StorageError";
  readonly code: StorageErrorCode;
  readonly reason: TemplateInvalidReason | undefined;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.reason = options.reason;
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}

export function templateInvalid(reason: TemplateInvalidReason, message: string, cause?: unknown): StorageError {
  return new StorageError("TEMPLATE_INVALID", message, { reason, cause });
}
