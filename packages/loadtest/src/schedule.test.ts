import { describe, expect, it } from "vitest";
import { seedFrom } from "./random.js";
import { DEFAULT_WEIGHTS, EVENT_KINDS, type EventKind } from "./scenario.js";
import { createSchedule, type ScheduledEvent, type ScheduleOptions } from "./schedule.js";

const base: ScheduleOptions = { clients: 50, ratePerClient: 2, weights: DEFAULT_WEIGHTS, startAt: 1_000_000, durationMs: 60_000, seed: 42 };

function take<T>(iterable: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of iterable) {
    if (out.length === n) break;
    out.push(item);
  }
  return out;
}

describe.each(["poisson", "uniform"] as const)("createSchedule (%s)", (arrival) => {
  const schedule = createSchedule({ ...base, arrival });
  const events = [...schedule];

  it("is reproducible from its seed, and another seed gives another schedule", () => {
    expect([...createSchedule({ ...base, arrival })]).toEqual(events);
    const other = [...createSchedule({ ...base, arrival, seed: 43 })];
    expect(other.slice(0, 20)).not.toEqual(events.slice(0, 20));
  });

  it("merges all clients in intended-time order, inside [startAt, endAt)", () => {
    for (let i = 1; i < events.length; i++) {
      expect((events[i] as ScheduledEvent).intendedAt).toBeGreaterThanOrEqual((events[i - 1] as ScheduledEvent).intendedAt);
    }
    expect(events[0]?.intendedAt).toBeGreaterThanOrEqual(base.startAt);
    expect(events.at(-1)?.intendedAt).toBeLessThan(schedule.endAt);
  });

  it("numbers each client's events 0, 1, 2, … in time order", () => {
    const byClient = new Map<number, ScheduledEvent[]>();
    for (const e of events) byClient.set(e.client, [...(byClient.get(e.client) ?? []), e]);
    expect(byClient.size).toBe(base.clients);
    for (const list of byClient.values()) expect(list.map((e) => e.seq)).toEqual(list.map((_, i) => i));
  });

  it("sends at the configured rate (within 5 %)", () => {
    expect(schedule.expectedEvents).toBe(6_000);
    expect(Math.abs(events.length - 6_000) / 6_000).toBeLessThan(0.05);
  });

  it("picks kinds in proportion to the weights", () => {
    const counts = Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) as Record<EventKind, number>;
    for (const e of events) counts[e.kind]++;
    for (const kind of ["cursor", "edit", "save", "open", "list"] as const) {
      expect(counts[kind] / events.length).toBeCloseTo(DEFAULT_WEIGHTS[kind] / 100, 1);
    }
    expect(counts.question).toBeGreaterThan(0);
    expect(counts.question).toBeLessThan(counts.comment);
  });

  it("gives client i the same events whatever the number of clients", () => {
    const small = createSchedule({ ...base, arrival, clients: 3 });
    expect([...small.forClient(2)]).toEqual([...schedule.forClient(2)]);
    expect(() => small.forClient(3).next()).toThrow(RangeError);
  });
});

describe("createSchedule", () => {
  it("spaces a uniform client's events by one period, give or take the jitter", () => {
    const events = [...createSchedule({ ...base, arrival: "uniform", ratePerClient: 10, jitter: 0.2 }).forClient(0)];
    for (let i = 1; i < events.length; i++) {
      const gap = (events[i] as ScheduledEvent).intendedAt - (events[i - 1] as ScheduledEvent).intendedAt;
      expect(gap).toBeGreaterThanOrEqual(80 - 1e-9);
      expect(gap).toBeLessThanOrEqual(120 + 1e-9);
    }
  });

  it("only picks kinds with a weight", () => {
    const weights = { ...Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])), edit: 1, question: 3 } as Record<EventKind, number>;
    const kinds = new Set([...createSchedule({ ...base, weights })].map((e) => e.kind));
    expect(kinds).toEqual(new Set(["edit", "question"]));
  });

  it("is lazy: the first events of 200 clients × 10 min at 50/s (6 million) come without building the rest", () => {
    const schedule = createSchedule({ ...base, clients: 200, ratePerClient: 50, durationMs: 600_000 });
    const first = take(schedule, 1_000);
    expect(first).toHaveLength(1_000);
    // An eager schedule would allocate 6 million events here and blow the test's time and memory.
    expect(schedule.expectedEvents).toBe(6_000_000);
  });

  it("refuses nonsense", () => {
    expect(() => createSchedule({ ...base, clients: -1 })).toThrow(RangeError);
    expect(() => createSchedule({ ...base, ratePerClient: 51 })).toThrow(RangeError);
    expect(() => createSchedule({ ...base, seed: 1.5 })).toThrow(RangeError);
    expect(() => createSchedule({ ...base, arrival: "uniform", jitter: 1 })).toThrow(RangeError);
    expect(() => createSchedule({ ...base, weights: { ...DEFAULT_WEIGHTS, edit: -1 } })).toThrow();
    expect([...createSchedule({ ...base, clients: 0 })]).toEqual([]);
    expect([...createSchedule({ ...base, durationMs: 0 })]).toEqual([]);
  });

  it("seedFrom separates testers of one test", () => {
    expect(seedFrom(7, "a")).toBe(seedFrom(7, "a"));
    expect(seedFrom(7, "a")).not.toBe(seedFrom(7, "b"));
    expect(seedFrom(7, "a")).not.toBe(seedFrom(71, ""));
  });
});
