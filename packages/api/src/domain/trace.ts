/** Trace stamps (API.md, Transport; DESIGN.md, Monitoring): t1 client send, t2 server receive, t3 server emit. */
export interface TraceStamps {
  id: string;
  t1: number;
  t0?: number | undefined;
  t2: number;
  t3?: number;
}

/** The stamps an event carries when its mutation was traced; untraced events carry none (no cost). */
export function stampReceive(trace: { id: string; t1: number; t0?: number | undefined } | undefined, receivedAt: number): TraceStamps | undefined {
  return trace ? { ...trace, t2: receivedAt } : undefined;
}

const stamped = new WeakMap<object, { t3: number; event: object }>();

/**
 * Adds the emit time to a traced event as it leaves for a subscriber. Subscribers served in the
 * same millisecond share one stamped copy (stamps are whole milliseconds), so the copy is made,
 * and encoded, once per burst rather than once per subscriber.
 */
export function stampEmit<E extends { trace?: object }>(event: E, now: () => number): E {
  if (!event.trace) return event;
  const t3 = now();
  const last = stamped.get(event);
  if (last?.t3 === t3) return last.event as E;
  const copy = { ...event, trace: { ...event.trace, t3 } };
  stamped.set(event, { t3, event: copy });
  return copy;
}
