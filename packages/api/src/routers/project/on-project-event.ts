import { tracked } from "@trpc/server";
import { zWatchProjectInput } from "../../schemas/project.js";
import { userProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { assertCanRead, loadProjectAccess } from "../../domain/project-access.js";
import { topics } from "../../domain/topics.js";
import { stampEmit } from "../../domain/trace.js";
import { splitIntoBatches, takeBatch } from "../../domain/take-batch.js";
import type { EventSubscription, LogItem, SubscriptionChannel } from "../../ports.js";
import { shareJson, sharedJson } from "../../wire/shared-json.js";
import { frameHead, trackedFields } from "../../wire/tracked-frame.js";

type WatchedEvent = { type: string; viewerId?: number; trace?: object };
type WatchedItem = { id: string; event: WatchedEvent };
interface WatchOptions {
  viewerId: number;
  batch: boolean;
  now: () => number;
}

/**
 * Events of one project: file.*, edit, cursor. Resumes from `lastEventId` on any instance. Access is
 * checked against the database (not the cache) at every (re)subscription, and a revocation in the
 * project's stream ends this viewer's watch with FORBIDDEN wherever it runs.
 *
 * The subscription is established before tRPC answers "started", so a client that acts on
 * "started" (say, makes an edit and expects to see it) misses nothing.
 */
export const onProjectEvent = userProcedure
  .input(zWatchProjectInput)
  .use(async ({ ctx, getRawInput, next }) => next({ ctx: { channel: ctx.subscriptionChannel?.(await getRawInput()) } }))
  .subscription(async ({ input, ctx, signal }) => {
    const access = await loadProjectAccess(ctx.deps.db, { ...input, userId: ctx.userId });
    assertCanRead(access);
    const subscription = ctx.deps.events.subscribe(topics.project(input.lessonId, input.ownerId), { lastEventId: input.lastEventId, signal });
    await subscription.ready();
    const options = { viewerId: access.viewer.id, batch: input.batch ?? false, now: ctx.deps.now };
    return ctx.channel ? writeProjectEvents(subscription, ctx.channel, options) : projectEvents(subscription, options);
  });

/**
 * Over a WebSocket: every watcher's frame is written straight to its socket as the event arrives
 * from Redis (see `pipe`), instead of stepping through this generator, the subscription cap's and
 * tRPC's loop for each watcher. Those steps and their garbage were most of a fan-out's cost. The
 * generator itself only carries the subscription's life: tRPC starts it after sending "started"
 * (so no frame overtakes that), and its end or error ends the subscription as usual.
 */
// eslint-disable-next-line require-yield -- it yields nothing by design: the frames go around tRPC's loop
async function* writeProjectEvents(subscription: EventSubscription, channel: SubscriptionChannel, options: WatchOptions): ReturnType<typeof projectEvents> {
  const head = Buffer.from(frameHead(channel.requestId, channel.jsonrpc));
  const send = (fields: Buffer) => channel.send(Buffer.concat([head, fields], head.length + fields.length));
  await subscription.pipe((items) => {
    const { visible, revoked } = visibleItems(items, options);
    if (!options.batch) for (const item of visible) send(itemFields(item));
    else for (const batch of splitIntoBatches(visible)) send(batch.length === 1 ? itemFields(batch[0]!) : batchFields(batch));
    if (revoked) throw revokedError();
  });
}

/**
 * With `batch`, events already queued behind the one just received leave together as one `batch`
 * event: under load that is one frame, one encode and one write per watcher per burst instead of
 * per event, and it costs nothing when events come one at a time (those leave unwrapped).
 */
async function* projectEvents(subscription: EventSubscription, options: WatchOptions) {
  // for-await ends the subscription whenever the loop is left (the watch stopped, a revocation).
  for await (const first of subscription) {
    const { visible, revoked } = visibleItems(options.batch ? takeBatch(first, subscription) : [first], options);
    const last = visible.at(-1);
    if (last) yield tracked(last.id, visible.length === 1 ? shareJson(last.event) : batchOf(visible));
    if (revoked) throw revokedError();
  }
}

/** What this viewer is shown of `items`: up to a revocation of its own access, stamped for tracing. */
function visibleItems(items: LogItem[], { viewerId, now }: WatchOptions): { visible: WatchedItem[]; revoked: boolean } {
  const visible: WatchedItem[] = [];
  for (const item of items) {
    const event = item.event as WatchedEvent;
    if (event.type !== "access.revoked") visible.push({ id: item.id, event: stampEmit(event, now) });
    else if (event.viewerId === viewerId) return { visible, revoked: true }; // what came before it is still delivered
  }
  return { visible, revoked: false };
}

const revokedError = () => new AppError("PERMISSION_REVOKED", "Your read permission on this project was revoked");

/**
 * A single item's frame end, encoded to UTF-8 once per event and instance and shared by every
 * watcher: a frame is then a copy of two buffers, where a string frame was encoded per watcher.
 */
const fieldsOf = new WeakMap<object, Buffer>();
function itemFields({ id, event }: WatchedItem): Buffer {
  let fields = fieldsOf.get(event);
  if (fields === undefined) {
    fields = Buffer.from(trackedFields(id, sharedJson(shareJson(event))!));
    fieldsOf.set(event, fields);
  }
  return fields;
}

/** A batch item's frame end (batches are rare: what a watcher gets at once after a read or a gap). */
function batchFields(batch: WatchedItem[]): Buffer {
  return Buffer.from(trackedFields(batch.at(-1)!.id, batchJson(batch)));
}

/** A batch event for tRPC's loop, its JSON registered so the encoder reuses it. */
function batchOf(events: WatchedItem[]) {
  return shareJson({ type: "batch" as const, events }, batchJson(events));
}

/** A batch event's JSON, assembled from its events' shared encodings. */
function batchJson(events: WatchedItem[]): string {
  const parts = events.map(({ id, event }) => `{"id":${JSON.stringify(id)},"event":${sharedJson(shareJson(event))}}`);
  return `{"type":"batch","events":[${parts.join(",")}]}`;
}
