import { describe, expect, it } from "vitest";
import { decodeReport, encodeReport, zTesterReport } from "./report.js";
import { DEFAULT_WEIGHTS, EVENT_KINDS, type EventKind } from "./scenario.js";
import { createSchedule, type ScheduleOptions } from "./schedule.js";
import { decodeHistogram } from "./stats/latency-histogram.js";
import { percentiles } from "./stats/percentiles.js";
import { createTester, type SecondTick } from "./tester.js";
import { exactPercentile, stubMonitor } from "./testing/fixtures.js";
import type { ActionContext, Actions } from "./virtual-client.js";

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const onlyEdits = Object.fromEntries(EVENT_KINDS.map((k) => [k, k === "edit" ? 1 : 0])) as Record<EventKind, number>;

/** The same behaviour for every kind. */
function fakeActions(behave: (context: ActionContext) => Promise<unknown>): Actions {
  return Object.fromEntries(EVENT_KINDS.map((kind) => [kind, behave])) as unknown as Actions;
}

function scheduleFor(options: Partial<ScheduleOptions>) {
  return createSchedule({
    clients: 4,
    ratePerClient: 20,
    weights: onlyEdits,
    startAt: now() + 30,
    durationMs: 1_000,
    seed: 1,
    arrival: "uniform",
    ...options,
  });
}

describe("createTester", () => {
  it("sends open-loop: acks slower than the gap between events do not slow the sending", async () => {
    const schedule = scheduleFor({});
    const inFlight = new Map<number, number>();
    let maxInFlightPerClient = 0;
    const contexts: ActionContext[] = [];
    const tester = createTester({
      testId: 1,
      testerId: "t1",
      schedule,
      monitor: stubMonitor(),
      // Each ack takes 200 ms, four times a client's 50 ms gap: a closed loop would send 5/s, not 20/s.
      actions: (client) =>
        fakeActions(async (context) => {
          contexts.push(context);
          inFlight.set(client, (inFlight.get(client) ?? 0) + 1);
          maxInFlightPerClient = Math.max(maxInFlightPerClient, inFlight.get(client) ?? 0);
          await sleep(200);
          inFlight.set(client, (inFlight.get(client) ?? 0) - 1);
        }),
    });
    const report = await tester.run();
    const expected = [...schedule];

    expect(report.counters.sent).toBe(expected.length);
    expect(report.counters.acked).toBe(expected.length);
    expect(maxInFlightPerClient).toBeGreaterThanOrEqual(3);
    // Far below the 200 ms acks: sending never waited for them (generous, for a loaded machine).
    expect(report.counters.maxScheduleLagMs).toBeLessThan(150);
    const [p50] = percentiles(decodeHistogram(report.histograms.edit as string), [50]);
    expect(p50).toBeGreaterThanOrEqual(200_000);
    expect(contexts[0]).toMatchObject({ client: expected[0]?.client, seq: 0, kind: "edit", intendedAt: expected[0]?.intendedAt });
    expect(contexts[0]?.traceId).toBe(`t1:${expected[0]?.client}:0`);
    expect(report).toMatchObject({ testId: 1, testerId: "t1", clients: 4, startedAt: schedule.startAt, stopReason: "completed" });
    expect(decodeReport(encodeReport(zTesterReport.parse(report)))).toEqual(report);
  });

  it("an ack that never seems to come does not hold back the client's next events", async () => {
    const schedule = scheduleFor({ clients: 1 });
    const tester = createTester({
      testId: 1,
      testerId: "t1",
      schedule,
      monitor: stubMonitor(),
      actions: () => fakeActions((context) => sleep(context.seq === 2 ? 500 : 2)),
    });
    const report = await tester.run();
    const traces = report.sampledTraces;
    const slow = traces.find((t) => t.seq === 2);
    expect((slow?.ackAt ?? 0) - (slow?.intendedAt ?? 0)).toBeGreaterThanOrEqual(499);
    const sentWhileSlowPending = traces.filter((t) => t.sentAt > (slow?.sentAt ?? 0) && t.sentAt < (slow?.ackAt ?? 0));
    expect(sentWhileSlowPending.length).toBeGreaterThanOrEqual(8);
    // None of them waited for the 500 ms ack (generous bound, for a loaded machine).
    for (const t of sentWhileSlowPending) expect(t.sentAt - t.intendedAt).toBeLessThan(250);
  });

  it("handles coordinated omission: a stall that blocks the tester shows in the latency of every event it delayed", async () => {
    const schedule = scheduleFor({ ratePerClient: 50, durationMs: 1_500 });
    const stallAt = schedule.startAt + 300;
    let stalled = false;
    const tester = createTester({
      testId: 1,
      testerId: "t1",
      schedule,
      monitor: stubMonitor(),
      actions: () =>
        fakeActions(async (context) => {
          if (!stalled && context.intendedAt >= stallAt) {
            stalled = true;
            // Blocks the whole process for 300 ms, as a GC pause or a saturated tester would.
            const until = performance.now() + 300;
            while (performance.now() < until) {
              // spin
            }
          }
          await sleep(2);
        }),
    });
    const report = await tester.run();
    const traces = report.sampledTraces;
    expect(traces).toHaveLength(report.counters.acked); // fewer than 1000: every event is sampled
    const delayed = traces.filter((t) => t.sentAt - t.intendedAt > 100);
    expect(delayed.length).toBeGreaterThanOrEqual(20);
    // Measured from the actual send they look fast; measured from the intended time they are not.
    // (Compared with each other, not with a wall-clock bound, so a loaded machine cannot fail it.)
    for (const t of delayed) {
      expect(t.ackAt - t.intendedAt).toBeGreaterThan(t.ackAt - t.sentAt + 100);
    }
    expect(report.counters.lateSends).toBeGreaterThanOrEqual(delayed.length);
    expect(report.counters.maxScheduleLagMs).toBeGreaterThan(250);

    // The histogram holds the from-intended latencies, not the from-send ones.
    const histogram = decodeHistogram(report.histograms.edit as string);
    const fromIntendedUs = traces.map((t) => Math.round((t.ackAt - t.intendedAt) * 1000));
    const fromSentUs = traces.map((t) => Math.round((t.ackAt - t.sentAt) * 1000));
    for (const p of [90, 99, 100]) {
      const [value] = percentiles(histogram, [p]);
      const exact = exactPercentile(fromIntendedUs, p);
      expect(value).toBeGreaterThanOrEqual(exact);
      expect(value).toBeLessThanOrEqual(exact * 1.001 + 1);
    }
    const [p99] = percentiles(histogram, [99]);
    expect(p99).toBeGreaterThan(250_000);
    // Only the stalling event itself is slow from its send; the others hide the stall.
    expect(exactPercentile(fromSentUs, 99)).toBeLessThan(p99! - 100_000);
  });

  it("counts failures by code and kind: rejections, synchronous throws and timeouts", async () => {
    const weights = { ...DEFAULT_WEIGHTS, comment: 0, question: 0, list: 0, open: 0 };
    const signals: AbortSignal[] = [];
    const tester = createTester({
      testId: 1,
      testerId: "t1",
      schedule: scheduleFor({ weights, durationMs: 500 }),
      monitor: stubMonitor(),
      actionTimeoutMs: 100,
      actions: () => ({
        ...fakeActions(() => sleep(1)),
        edit: () => Promise.reject(Object.assign(new Error("conflict"), { code: "CONFLICT" })),
        cursor: () => {
          throw new TypeError("bad cursor");
        },
        save: (context) => {
          signals.push(context.signal);
          return new Promise(() => {});
        },
      }),
    });
    const report = await tester.run();
    const { counters } = report;
    expect(counters.errors).toEqual({
      CONFLICT: counters.byKind.edit?.sent,
      TypeError: counters.byKind.cursor?.sent,
      TIMEOUT: counters.byKind.save?.sent,
    });
    expect(counters.acked).toBe(0);
    expect(report.histograms).toEqual({});
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(report.sampledTraces.every((t) => !t.ok && t.code)).toBe(true);
  });

  it("stops soon after its signal aborts, counting in-flight sends as cancelled", async () => {
    const monitor = stubMonitor();
    const schedule = scheduleFor({ durationMs: 10_000 });
    const tester = createTester({ testId: 1, testerId: "t1", schedule, monitor, actions: () => fakeActions(() => sleep(1_000)) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 250);
    const started = now();
    const report = await tester.run({ signal: controller.signal });
    // Well before the 10 s schedule or the 1 s acks would end it (generous, for a loaded machine).
    expect(now() - started).toBeLessThan(900);
    expect(report.stopReason).toBe("aborted");
    expect(report.counters.sent).toBeGreaterThan(0);
    expect(report.counters.sent).toBeLessThan(schedule.expectedEvents / 5);
    expect(report.counters.cancelled).toBe(report.counters.sent);
    expect(monitor.stopped).toBe(true);
    await expect(tester.run()).rejects.toThrow(/runs once/);
  });

  it("stops at once when aborted before the start time", async () => {
    const tester = createTester({
      testId: 1,
      testerId: "t1",
      schedule: scheduleFor({ startAt: now() + 60_000 }),
      monitor: stubMonitor(),
      actions: () => fakeActions(() => sleep(1)),
    });
    const report = await tester.run({ signal: AbortSignal.abort() });
    expect(report).toMatchObject({ stopReason: "aborted", counters: { sent: 0 } });
  });

  it("reports each wall-clock second, and the seconds add up to the whole run", async () => {
    const ticks = new Map<number, SecondTick>();
    const tester = createTester({
      testId: 1,
      testerId: "t1",
      schedule: scheduleFor({ durationMs: 2_200 }),
      monitor: stubMonitor(),
      actions: () => fakeActions(() => sleep(3)),
      // A second reported again replaces the earlier report.
      onSecond: (tick) => ticks.set(tick.second, tick),
    });
    const report = await tester.run();
    expect(ticks.size).toBeGreaterThanOrEqual(3);
    const countOf = (histograms: Record<string, string>) =>
      Object.values(histograms).reduce((sum, base64) => sum + decodeHistogram(base64).totalCount, 0);
    const tickTotal = [...ticks.values()].reduce((sum, tick) => sum + countOf(tick.histograms), 0);
    expect(tickTotal).toBe(report.counters.acked);
    const reportTotal = Object.values(report.perSecond).reduce((sum, s) => sum + countOf(s), 0);
    expect(reportTotal).toBe(report.counters.acked);
    expect(Object.keys(report.perSecond).map(Number)).toEqual([...ticks.keys()].sort((a, b) => a - b));
    expect([...ticks.values()].at(-1)?.process).toEqual({ cpuPct: 5, lagP99Ms: 0.4 });
  });
});
