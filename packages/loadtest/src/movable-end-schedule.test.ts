import { describe, expect, it } from "vitest";
import { DEFAULT_WEIGHTS } from "./scenario.js";
import { createSchedule } from "./schedule.js";
import { withMovableEnd } from "./movable-end-schedule.js";

const base = () => createSchedule({ clients: 3, ratePerClient: 10, weights: DEFAULT_WEIGHTS, startAt: 1_000_000, durationMs: 60_000, seed: 7 });

describe("withMovableEnd", () => {
  it("stops at the end it has when each event is pulled", () => {
    let endAt = 1_005_000;
    const schedule = withMovableEnd(base(), () => endAt);
    const events: number[] = [];
    for (const event of schedule) {
      events.push(event.intendedAt);
      // Extended once the first second is through.
      if (event.intendedAt > 1_001_000 && endAt === 1_005_000) endAt = 1_008_000;
    }
    expect(events.every((t) => t < 1_008_000)).toBe(true);
    expect(Math.max(...events)).toBeGreaterThan(1_007_000);
    expect(schedule.endAt).toBe(1_008_000);
  });

  it("keeps the events of the base schedule, in order, up to the end", () => {
    const schedule = withMovableEnd(base(), () => 1_010_000);
    const expected = [...base()].filter((e) => e.intendedAt < 1_010_000);
    expect([...schedule]).toEqual(expected);
    expect([...schedule.forClient(1)]).toEqual(expected.filter((e) => e.client === 1));
  });

  it("never runs past the base schedule's end", () => {
    const schedule = withMovableEnd(base(), () => Infinity);
    expect(schedule.endAt).toBe(1_060_000);
    expect([...schedule].length).toBe([...base()].length);
  });
});
