import { AppError, appCodes, type AppCode } from "../errors.js";

/**
 * Storage refuses with a `code` (StorageError); the API speaks AppError. Codes with the same name
 * map directly; the rest get the nearest reason. Anything else passes through unchanged.
 */
export function toAppError(error: unknown): unknown {
  if (!error || typeof error !== "object" || error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  if (typeof code !== "string" || typeof message !== "string" || (error as { name?: string }).name !== "StorageError") return error;
  const mapped: AppCode | undefined =
    code in appCodes ? (code as AppCode) : code === "PROJECT_NOT_LOADED" || code === "BACKUP_NOT_FOUND" ? "PROJECT_NOT_FOUND" : undefined;
  if (!mapped) return new AppError("UNAVAILABLE", "File storage is unavailable, try again", { cause: error });
  return new AppError(mapped, message, { cause: error });
}

/** Runs storage work, translating its refusals into API errors. */
export async function storageCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toAppError(error);
  }
}
