import { tracked } from "@trpc/server";
import { z } from "zod";
import { zId, zLastEventId } from "../../schemas/ids.js";
import { userProcedure } from "../../trpc.js";
import { requireMembership } from "../../domain/membership.js";
import { topics } from "../../domain/topics.js";

/** The caller's own events in a lesson: permission changes and Q&A activity on threads they may see. */
export const onInboxEvent = userProcedure
  .input(z.object({ lessonId: zId, lastEventId: zLastEventId }).strict())
  .subscription(async function* ({ input, ctx, signal }) {
    const { participant } = await requireMembership(ctx.deps.db, input.lessonId, ctx.userId);
    const topic = topics.inbox(input.lessonId, participant.id);
    for await (const item of ctx.deps.events.subscribe(topic, { lastEventId: input.lastEventId, signal })) {
      yield tracked(item.id, item.event as { type: string });
    }
  });
