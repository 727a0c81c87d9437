import { z } from "zod";

const zCount = z.number().int().min(0);

export const zKindCounters = z.object({ sent: zCount, acked: zCount, errors: zCount });
export type KindCounters = z.infer<typeof zKindCounters>;

/** What a tester counts; every field adds across testers except `maxScheduleLagMs` (max). */
export const zCounters = z.object({
  /** Events sent (each one an action called). */
  sent: zCount,
  /** Events whose action resolved. */
  acked: zCount,
  /** Failed events by error code (`FORBIDDEN`, `NO_WRITE_PERMISSION`, `TIMEOUT`, …). */
  errors: z.record(z.string(), zCount),
  /** Events still in flight when the run was aborted. */
  cancelled: zCount,
  /** Events sent later than the threshold after their intended time: the tester fell behind. */
  lateSends: zCount,
  maxScheduleLagMs: z.number().min(0),
  /** Latencies below 0 (a receive clock behind the sender's): recorded as 0, counted so they show. */
  negativeLatencies: zCount,
  /** Latencies above the histogram range, recorded as its maximum. */
  overRange: zCount,
  /** Unique messages received from other clients. */
  delivered: zCount,
  lost: zCount,
  duplicates: zCount,
  outOfOrder: zCount,
  byKind: z.record(z.string(), zKindCounters),
});
export type Counters = z.infer<typeof zCounters>;

export function createCounters(): Counters {
  return {
    sent: 0,
    acked: 0,
    errors: {},
    cancelled: 0,
    lateSends: 0,
    maxScheduleLagMs: 0,
    negativeLatencies: 0,
    overRange: 0,
    delivered: 0,
    lost: 0,
    duplicates: 0,
    outOfOrder: 0,
    byKind: {},
  };
}

/** `into += from`, field by field. */
export function addCounters(into: Counters, from: Counters): Counters {
  into.sent += from.sent;
  into.acked += from.acked;
  into.cancelled += from.cancelled;
  into.lateSends += from.lateSends;
  into.maxScheduleLagMs = Math.max(into.maxScheduleLagMs, from.maxScheduleLagMs);
  into.negativeLatencies += from.negativeLatencies;
  into.overRange += from.overRange;
  into.delivered += from.delivered;
  into.lost += from.lost;
  into.duplicates += from.duplicates;
  into.outOfOrder += from.outOfOrder;
  for (const [code, count] of Object.entries(from.errors)) into.errors[code] = (into.errors[code] ?? 0) + count;
  for (const [kind, counts] of Object.entries(from.byKind)) {
    const target = kindCounters(into, kind);
    target.sent += counts.sent;
    target.acked += counts.acked;
    target.errors += counts.errors;
  }
  return into;
}

/** The counters of one kind, created on first use. */
export function kindCounters(counters: Counters, kind: string): KindCounters {
  const existing = counters.byKind[kind];
  if (existing) return existing;
  const created = { sent: 0, acked: 0, errors: 0 };
  counters.byKind[kind] = created;
  return created;
}

export function cloneCounters(counters: Counters): Counters {
  return addCounters(createCounters(), counters);
}
