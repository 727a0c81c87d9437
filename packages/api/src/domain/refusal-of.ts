import { isAppError, type AppError } from "../errors.js";
import { toAppError } from "./storage-errors.js";
import { unavailableDependency, unavailableError } from "./unavailable-dependency.js";

/**
 * What a failure means to the client: a refusal as is, a storage refusal under its API reason, an
 * unreachable dependency as `UNAVAILABLE`; null for anything else, which is a bug (`INTERNAL`).
 */
export function refusalOf(error: unknown): AppError | null {
  const mapped = toAppError(error);
  if (isAppError(mapped)) return mapped;
  const dependency = unavailableDependency(error);
  return dependency ? unavailableError(dependency, error) : null;
}
