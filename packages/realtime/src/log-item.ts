/**
 * Tells a subscriber that events it asked for are gone (trimmed, or the stream was recreated):
 * it must refetch state, then carry on from this item's id. "reset" is therefore a reserved
 * event type that `append` refuses.
 */
export interface ResetEvent {
  type: "reset";
}

/** One event of a topic log, with the stream id to resume after (tRPC's `tracked(id, event)`). */
export type LogItem<TEvent = unknown> = { id: string; event: TEvent } | { id: string; event: ResetEvent };

export const RESET_EVENT_TYPE = "reset";

export function isResetItem<TEvent>(item: LogItem<TEvent>): item is { id: string; event: ResetEvent } {
  const event: unknown = item.event;
  return typeof event === "object" && event !== null && (event as { type?: unknown }).type === RESET_EVENT_TYPE;
}
