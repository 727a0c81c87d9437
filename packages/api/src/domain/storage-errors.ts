import { AppError, appCodes, type AppCode } from "../errors.js";
import { unavailableError } from "./unavailable-dependency.js";

/**
 * Storage refuses with a `code` (StorageError); the API speaks AppError. Codes with the same name
 * map directly, with the storage reason if any (a refused template's ZIP_SLIP…); the rest get the
 * nearest reason. Anything else passes through unchanged (the error formatter tells outages).
 */
export function toAppError(error: unknown): unknown {
  if (!error || typeof error !== "object" || error instanceof AppError) return error;
  const { code, message, name, reason } = error as { code?: unknown; message?: unknown; name?: unknown; reason?: unknown };
  if (typeof code !== "string" || typeof message !== "string" || name !== "StorageError") return error;
  const mapped: AppCode | undefined =
    code in appCodes ? (code as AppCode) : code === "PROJECT_NOT_LOADED" || code === "BACKUP_NOT_FOUND" ? "PROJECT_NOT_FOUND" : undefined;
  if (!mapped) return unavailableError("file storage", error);
  return new AppError(mapped, message, { cause: error, reason: typeof reason === "string" ? reason : undefined });
}

/** Runs storage work, translating its refusals into API errors. */
export async function storageCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toAppError(error);
  }
}
