import { StorageError, isStorageError } from "../errors.js";
import { validatePath } from "../paths/validate-path.js";

/**
 * Blob keys follow the project path rules (relative, no `.`/`..`, no empty segments, no control
 * characters, ≤ 1024 bytes), so a key can never climb out of a local folder and means the same
 * thing on S3 and on disk.
 * @throws StorageError `INVALID_PATH`
 */
export function validateBlobKey(key: string): string {
  try {
    return validatePath(key);
  } catch (error) {
    if (isStorageError(error)) throw new StorageError("INVALID_PATH", `Invalid blob key: ${error.message}`);
    throw error;
  }
}
