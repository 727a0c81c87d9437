import { z } from "zod";
import { validatePath } from "@cohort/storage/paths";

/**
 * A project path (API.md, Identifiers and paths). Broken rules are reported with appCode
 * INVALID_PATH, so clients can tell a bad path from other bad input.
 */
export const zPath = z
  .string()
  .max(4096)
  .superRefine((path, ctx) => {
    try {
      validatePath(path);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message.slice(0, 300), params: { appCode: "INVALID_PATH" } });
    }
  });
