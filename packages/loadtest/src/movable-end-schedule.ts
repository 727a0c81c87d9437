import type { Schedule, ScheduledEvent } from "./schedule.js";

/**
 * A schedule whose end can move while it runs (an admin extends or stops the test): it yields the
 * events of `base` up to whatever `endAt()` says when each is due to be pulled. `base` must reach
 * at least as far as the end may ever go; schedules are lazy, so a long one costs nothing.
 */
export function withMovableEnd(base: Schedule, endAt: () => number): Schedule {
  function* until(events: Iterator<ScheduledEvent>): Generator<ScheduledEvent, void, undefined> {
    for (let next = events.next(); !next.done; next = events.next()) {
      if (next.value.intendedAt >= Math.min(endAt(), base.endAt)) return;
      yield next.value;
    }
  }
  return {
    clients: base.clients,
    ratePerClient: base.ratePerClient,
    startAt: base.startAt,
    arrival: base.arrival,
    get endAt() {
      return Math.min(endAt(), base.endAt);
    },
    get durationMs() {
      return Math.max(0, Math.min(endAt(), base.endAt) - base.startAt);
    },
    get expectedEvents() {
      return base.clients * base.ratePerClient * (Math.max(0, Math.min(endAt(), base.endAt) - base.startAt) / 1000);
    },
    forClient: (client) => until(base.forClient(client)),
    [Symbol.iterator]: () => until(base[Symbol.iterator]()),
  };
}
