import type { EventSubscription, LogItem } from "../ports.js";

/** Most events in one batch, and roughly most bytes: a burst of large edits still leaves in frames of bounded size. */
export const MAX_BATCH_EVENTS = 128;
export const MAX_BATCH_BYTES = 512 * 1024;

/** `first` and the items queued behind it in the subscription, within the batch bounds. */
export function takeBatch(first: LogItem, subscription: Pick<EventSubscription, "takeBuffered">): LogItem[] {
  const items = [first];
  let bytes = approximateBytes(first);
  while (items.length < MAX_BATCH_EVENTS && bytes < MAX_BATCH_BYTES) {
    const next = subscription.takeBuffered();
    if (!next) break;
    items.push(next);
    bytes += approximateBytes(next);
  }
  return items;
}

/**
 * `items`, in order, cut into batches within the same bounds: what a caught-up watcher gets at
 * once (a backfill page of up to 500 events) still leaves in frames of bounded size.
 */
export function splitIntoBatches<T extends LogItem>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length >= MAX_BATCH_EVENTS || bytes >= MAX_BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += approximateBytes(item);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Edits carry their update as base64; everything else is small. */
function approximateBytes(item: LogItem): number {
  const update = (item.event as { update?: unknown }).update;
  return 200 + (typeof update === "string" ? update.length : 0);
}
