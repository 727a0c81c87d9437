import { z } from "zod";
import { zId, zTrace } from "./ids.js";
import { zPath } from "./path.js";

/** Base64 of a Yjs update or state vector; the byte limit is enforced after decoding. */
const zBinary = z.string().max(1_500_000);
const zPosition = z.object({ line: z.number().int().min(0).max(10_000_000), column: z.number().int().min(0).max(10_000_000) }).strict();

export const zEditsSyncInput = z.object({ lessonId: zId, ownerId: zId, path: zPath, stateVector: zBinary.optional() }).strict();
export const zEditsPushInput = z.object({ lessonId: zId, ownerId: zId, path: zPath, update: zBinary, trace: zTrace.optional() }).strict();
export const zCursorMoveInput = z
  .object({
    lessonId: zId,
    ownerId: zId,
    path: zPath,
    position: zPosition,
    selection: z.object({ start: zPosition, end: zPosition }).strict().optional(),
    trace: zTrace.optional(),
  })
  .strict();
export const zCursorLastInput = z.object({ lessonId: zId, ownerId: zId, path: zPath }).strict();
