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

/** Adds the emit time to a traced event as it leaves for one subscriber. */
export function stampEmit<E extends { trace?: object }>(event: E, now: () => number): E {
  if (!event.trace) return event;
  return { ...event, trace: { ...event.trace, t3: now() } };
}
