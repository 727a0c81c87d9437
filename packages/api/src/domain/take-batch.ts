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

/** Edits carry their update as base64; everything else is small. */
function approximateBytes(item: LogItem): number {
  const update = (item.event as { update?: unknown }).update;
  return 200 + (typeof update === "string" ? update.length : 0);
}
