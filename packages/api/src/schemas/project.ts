import { z } from "zod";
import { zId, zLastEventId } from "./ids.js";

export const zProjectInput = z.object({ lessonId: zId, ownerId: zId }).strict();
export const zWatchProjectInput = z.object({ lessonId: zId, ownerId: zId, lastEventId: zLastEventId }).strict();
