import { tracked } from "@trpc/server";
import { z } from "zod";
import { zId, zLastEventId } from "../../schemas/ids.js";
import { userProcedure } from "../../trpc.js";
import { requireMembership } from "../../domain/membership.js";
import { topics } from "../../domain/topics.js";
import type { EventSubscription } from "../../ports.js";

/**
 * The caller's own events in a lesson: permission changes and Q&A activity on threads they may see.
 * Established before tRPC answers "started", so nothing sent after "started" is missed.
 */
export const onInboxEvent = userProcedure
  .input(z.object({ lessonId: zId, lastEventId: zLastEventId }).strict())
  .subscription(async ({ input, ctx, signal }) => {
    const { participant } = await requireMembership(ctx.deps.db, input.lessonId, ctx.userId);
    const subscription = ctx.deps.events.subscribe(topics.inbox(input.lessonId, participant.id), { lastEventId: input.lastEventId, signal });
    await subscription.ready();
    return inboxEvents(subscription);
  });

// for-await ends the subscription whenever the loop is left (the watch stopped, an error).
async function* inboxEvents(subscription: EventSubscription) {
  for await (const item of subscription) yield tracked(item.id, item.event as { type: string });
}
