import { z } from "zod";
import { zId, zLastEventId } from "./ids.js";

export const zProjectInput = z.object({ lessonId: zId, ownerId: zId }).strict();
export const zWatchProjectInput = z
  .object({
    lessonId: zId,
    ownerId: zId,
    lastEventId: zLastEventId,
    /** Events already queued together arrive as one `batch` event (fewer frames under load). */
    batch: z.boolean().optional(),
  })
  .strict();
