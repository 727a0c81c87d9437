import { z } from "zod";

/** Database ids are positive 32-bit integers (PostgreSQL `integer`). */
export const zId = z.number().int().positive().max(2_147_483_647);

/** Optional trace stamps every mutation accepts (API.md, Transport). */
export const zTrace = z
  .object({
    id: z.string().min(1).max(64),
    t1: z.number().finite().nonnegative(),
    /** Intended send time of an open-loop load generator, when it differs from t1. */
    t0: z.number().finite().nonnegative().optional(),
  })
  .strict();

export const zLessonInput = z.object({ lessonId: zId }).strict();

/** tRPC clients resend the id of the last tracked event they saw when they resubscribe. */
export const zLastEventId = z.string().min(1).max(64).optional();
