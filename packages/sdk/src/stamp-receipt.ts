import type { EventTrace, ProjectEvent } from "@cohort/api/schemas";
import type { ClockEstimate } from "./time-sync.js";

/** What the SDK adds to the trace of a received event (not on the wire: stamped on receipt). */
export interface ReceiptStamp {
  /** Receive time on the server's clock (local time + the clock estimate's offset), epoch ms. */
  t4: number;
  /** ± bound of `t4`'s correction (half the round trip of the estimate); null before any clock estimate. */
  t4UncertaintyMs: number | null;
}

export type ReceivedTrace = EventTrace & ReceiptStamp;

/**
 * A project event as the SDK hands it to listeners: a traced event's `trace` also carries the
 * receipt stamp. It is a `ProjectEvent` still, so code written against that type keeps working.
 */
export type ReceivedProjectEvent = ProjectEvent extends infer E
  ? E extends { trace?: unknown }
    ? Omit<E, "trace"> & { trace?: ReceivedTrace | undefined }
    : E
  : never;

/** Where the receipt time comes from: the local clock, and the current estimate of the server's. */
export interface ReceiptClock {
  nowMs(): number;
  estimate(): ClockEstimate | null;
}

/**
 * Stamps `t4` on a traced event, corrected to the server's clock, so that t1–t4 share one clock
 * and `t4 - t1` is a latency. Without an estimate yet the local clock is used as is (uncertainty
 * null). The event is stamped in place: it is this client's own parse of the frame, and a copy per
 * delivery would only add garbage under load.
 */
export function stampReceipt(event: ProjectEvent, clock: ReceiptClock): ReceivedProjectEvent {
  if (event.type !== "reset" && event.trace) {
    const estimate = clock.estimate();
    const trace = event.trace as ReceivedTrace;
    trace.t4 = clock.nowMs() + (estimate?.offsetMs ?? 0);
    trace.t4UncertaintyMs = estimate ? estimate.uncertaintyMs : null;
  }
  return event as ReceivedProjectEvent;
}

/** The process's clock, with no estimate: what a stream uses unless its client gives it one. */
export const localReceiptClock: ReceiptClock = { nowMs: () => Date.now(), estimate: () => null };
