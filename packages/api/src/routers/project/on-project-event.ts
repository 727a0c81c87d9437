import { tracked } from "@trpc/server";
import { zWatchProjectInput } from "../../schemas/project.js";
import { userProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { assertCanRead, loadProjectAccess } from "../../domain/project-access.js";
import { topics } from "../../domain/topics.js";
import { stampEmit } from "../../domain/trace.js";
import { takeBatch } from "../../domain/take-batch.js";
import type { EventSubscription } from "../../ports.js";
import { shareJson, sharedJson } from "../../wire/shared-json.js";

type WatchedEvent = { type: string; viewerId?: number; trace?: object };

/**
 * Events of one project: file.*, edit, cursor. Resumes from `lastEventId` on any instance. Access is
 * checked against the database (not the cache) at every (re)subscription, and a revocation in the
 * project's stream ends this viewer's watch with FORBIDDEN wherever it runs.
 *
 * The subscription is established before tRPC answers "started", so a client that acts on
 * "started" (say, makes an edit and expects to see it) misses nothing.
 */
export const onProjectEvent = userProcedure.input(zWatchProjectInput).subscription(async ({ input, ctx, signal }) => {
  const access = await loadProjectAccess(ctx.deps.db, { ...input, userId: ctx.userId });
  assertCanRead(access);
  const subscription = ctx.deps.events.subscribe(topics.project(input.lessonId, input.ownerId), { lastEventId: input.lastEventId, signal });
  await subscription.ready();
  return projectEvents(subscription, { viewerId: access.viewer.id, batch: input.batch ?? false, now: ctx.deps.now });
});

/**
 * With `batch`, events already queued behind the one just received leave together as one `batch`
 * event: under load that is one frame, one encode and one write per watcher per burst instead of
 * per event, and it costs nothing when events come one at a time (those leave unwrapped).
 */
async function* projectEvents(subscription: EventSubscription, options: { viewerId: number; batch: boolean; now: () => number }) {
  // for-await ends the subscription whenever the loop is left (the watch stopped, a revocation).
  for await (const first of subscription) {
    const items = options.batch ? takeBatch(first, subscription) : [first];
    const out: { id: string; event: WatchedEvent }[] = [];
    let revoked = false;
    for (const item of items) {
      const event = item.event as WatchedEvent;
      if (event.type !== "access.revoked") out.push({ id: item.id, event: stampEmit(event, options.now) });
      else if (event.viewerId === options.viewerId) {
        revoked = true; // what came before the revocation is still delivered
        break;
      }
    }
    const last = out.at(-1);
    if (last) yield tracked(last.id, out.length === 1 ? shareJson(last.event) : batchOf(out));
    if (revoked) throw new AppError("PERMISSION_REVOKED", "Your read permission on this project was revoked");
  }
}

/** A batch whose JSON is assembled from its events' shared encodings. */
function batchOf(events: { id: string; event: WatchedEvent }[]) {
  const parts = events.map(({ id, event }) => `{"id":${JSON.stringify(id)},"event":${sharedJson(shareJson(event))}}`);
  return shareJson({ type: "batch" as const, events }, `{"type":"batch","events":[${parts.join(",")}]}`);
}
