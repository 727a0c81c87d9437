import { UpdateRejectedError } from "@cohort/collab";
import { AppError } from "../../errors.js";

/** Maps the document store's refusals to API errors; other errors pass through. */
export function rejectUpdate(error: unknown): unknown {
  if (error instanceof UpdateRejectedError) {
    return new AppError(error.problem === "TOO_LARGE" ? "LIMIT_REACHED" : "INVALID_UPDATE", error.message, { cause: error });
  }
  return error;
}
