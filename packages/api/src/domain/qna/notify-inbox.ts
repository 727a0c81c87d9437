import type { Deps } from "../../context.js";
import type { QnaInboxEvent } from "../../schemas/qna.js";
import { topics } from "../topics.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Appends a Q&A event to the inbox of each recipient (inbox.watch, on every instance, resumable).
 * Recipients are the thread's access list as just written, so nobody outside it hears of it.
 */
export async function notifyInbox(deps: Pick<Deps, "events" | "now" | "monitor">, recipients: readonly number[], event: DistributiveOmit<QnaInboxEvent, "at">): Promise<void> {
  const full = { ...event, at: deps.now() } as QnaInboxEvent;
  await Promise.all(
    [...new Set(recipients)].map(async (participantId) => {
      await deps.events.append(topics.inbox(event.lessonId, participantId), full);
      deps.monitor?.record(event.lessonId, { event: event.type, from: event.actor?.id ?? 0, to: participantId, trace: event.trace, size: 0 });
    }),
  );
}
