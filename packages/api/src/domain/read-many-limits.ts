import type { Context } from "../context.js";

/** Bounds of one `files.readMany` page; a larger read continues with `nextCursor`. */
export interface ReadManyLimits {
  /** Files in one page. @default 1000 */
  maxFiles: number;
  /**
   * Sum of the file sizes in one page (bytes as stored; base64 adds a third on the wire). A file
   * larger than this still comes, alone in its page. Keep it well below `WS_MAX_BUFFERED_BYTES`,
   * or a client reading pages slowly would be cut off. @default 4_194_304 (4 MiB)
   */
  maxBytes: number;
}

export const readManyLimitDefaults: ReadManyLimits = { maxFiles: 1000, maxBytes: 4 * 1024 * 1024 };

export function readManyLimits(ctx: Context): ReadManyLimits {
  return { ...readManyLimitDefaults, ...ctx.deps.limits.readMany };
}
