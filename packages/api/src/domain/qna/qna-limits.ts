import type { Context } from "../../context.js";

export interface QnaLimits {
  /** Threads on one file of a project (outdated ones not counted). @default 100 */
  maxThreadsPerFile: number;
  /** Comments in one thread, the first one and deleted ones included. @default 500 */
  maxCommentsPerThread: number;
}

export const qnaLimitDefaults: QnaLimits = { maxThreadsPerFile: 100, maxCommentsPerThread: 500 };

export function qnaLimits(ctx: Context): QnaLimits {
  return { ...qnaLimitDefaults, ...ctx.deps.limits.qna };
}
