import type { EventLogPort, LogItem } from "../../ports.js";

/**
 * Subscribes and waits until delivery is established (when the adapter can say so), so that a
 * snapshot read afterwards cannot miss an event appended in between.
 */
export async function subscribeReady(
  events: EventLogPort,
  topic: string,
  options: { lastEventId?: string | undefined; signal?: AbortSignal | undefined },
): Promise<AsyncGenerator<LogItem>> {
  const subscription = events.subscribe(topic, options);
  await (subscription as { ready?: () => Promise<void> }).ready?.();
  return subscription;
}
