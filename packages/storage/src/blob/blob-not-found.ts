import { StorageError } from "../errors.js";

export function blobNotFound(key: string, cause?: unknown): StorageError {
  return new StorageError("BLOB_NOT_FOUND", `No blob at ${key}`, { cause });
}
