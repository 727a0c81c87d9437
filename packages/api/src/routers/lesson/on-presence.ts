import { randomUUID } from "node:crypto";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { zId, zLastEventId } from "../../schemas/ids.js";
import { publicProcedure } from "../../trpc.js";
import { requireLessonAccess } from "../../domain/membership.js";

/**
 * Holding this subscription is what makes a participant online. Each subscription registers its own
 * presence connection, so two tabs keep the participant online until both end. Admins watch
 * without appearing online. Presence always restarts from a fresh snapshot, so `lastEventId` is
 * accepted (clients resend it on reconnect) but not needed.
 */
export const onPresence = publicProcedure
  .input(z.object({ lessonId: zId, lastEventId: zLastEventId }).strict())
  .subscription(async function* ({ input, ctx, signal }) {
    const { db, presence } = ctx.deps;
    const { lesson, participant } = await requireLessonAccess(db, input.lessonId, ctx.principal);
    const connectionId = `${ctx.connectionId}:${randomUUID()}`;
    if (participant) await presence.join(lesson.id, participant.id, connectionId);
    try {
      for await (const item of presence.watch(lesson.id, { signal })) {
        yield tracked(item.id, item.event);
      }
    } finally {
      if (participant) await presence.leave(lesson.id, participant.id, connectionId);
    }
  });
