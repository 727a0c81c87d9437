import { describe, expect, it } from "vitest";
import { exactPercentile, latencySamplesUs, reportWithSamples } from "../testing/fixtures.js";
import { decodeHistogram, encodeHistogram, createLatencyHistogram, HistogramDecodeError } from "./latency-histogram.js";
import { mergeReports } from "./merge-reports.js";
import { DEFAULT_PERCENTILES, percentiles } from "./percentiles.js";

/** The old system's bug: index into the list as it came, without sorting it. */
function unsortedPercentile(samples: readonly number[], p: number): number {
  return samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))] as number;
}

/** The other classic mistake: average each tester's percentile. */
function averagedPercentile(perTester: readonly (readonly number[])[], p: number): number {
  return perTester.reduce((sum, samples) => sum + exactPercentile(samples, p), 0) / perTester.length;
}

/** HDR with 3 significant digits reports the top of the value's bucket: at most 0.1 % above. */
function expectWithinHdrPrecision(actual: number, exact: number) {
  expect(actual).toBeGreaterThanOrEqual(exact);
  expect(actual).toBeLessThanOrEqual(exact * 1.001 + 1);
}

describe("mergeReports: percentiles of merged histograms", () => {
  const testerSamples = [
    latencySamplesUs(5_000, { seed: 1, medianUs: 800 }),
    latencySamplesUs(3_000, { seed: 2, medianUs: 2_500 }),
    latencySamplesUs(700, { seed: 3, medianUs: 40_000 }),
  ];
  const union = testerSamples.flat();
  const merged = mergeReports(testerSamples.map((samples, i) => reportWithSamples(`t${i}`, samples)));
  const histogram = decodeHistogram(merged.histograms.edit as string);

  it("keeps every sample", () => {
    expect(histogram.totalCount).toBe(union.length);
    expect(merged.counters.acked).toBe(union.length);
  });

  it.each([...DEFAULT_PERCENTILES, 75, 99.99])("p%s equals the percentile of the union of raw samples", (p) => {
    const [value] = percentiles(histogram, [p]);
    expectWithinHdrPrecision(value as number, exactPercentile(union, p));
  });

  it("would catch an unsorted percentile: two testers' logs, each in time order, concatenated", () => {
    // Latency rises through the run (a server slowing down): each log is ordered by time, and the
    // concatenation is not ordered by value, so indexing it gives the start of tester B's log.
    const rising = Array.from({ length: 1_000 }, (_, i) => (i + 1) * 1_000);
    const logs = [rising, rising];
    const arrivalOrder = logs.flat();
    const h = decodeHistogram(mergeReports(logs.map((l, i) => reportWithSamples(`t${i}`, l))).histograms.edit as string);
    const [p50, p90] = percentiles(h, [50, 90]);
    expectWithinHdrPrecision(p50 as number, 500_000);
    expectWithinHdrPrecision(p90 as number, 900_000);
    expect(unsortedPercentile(arrivalOrder, 50)).toBe(1_000);
    expect(unsortedPercentile(arrivalOrder, 90)).toBe(801_000);
  });
});

describe("mergeReports: averaging per-tester percentiles is wrong", () => {
  // Tester A is fast; tester B saw a stall: 50 of its 1000 events took about 800 ms.
  const fast = latencySamplesUs(1_000, { seed: 10, medianUs: 1_000 }).map((us) => Math.min(us, 2_000));
  const stalled = [...latencySamplesUs(950, { seed: 11, medianUs: 1_000 }).map((us) => Math.min(us, 2_000)), ...Array<number>(50).fill(800_000)];
  const merged = mergeReports([reportWithSamples("a", fast), reportWithSamples("b", stalled)]);
  const histogram = decodeHistogram(merged.histograms.edit as string);

  it("p99: 50 of 2000 samples (2.5 %) are 800 ms, so p99 is 800 ms; the average of p99s says about 400 ms", () => {
    const [p99] = percentiles(histogram, [99]);
    expectWithinHdrPrecision(p99 as number, 800_000);
    const averaged = averagedPercentile([fast, stalled], 99);
    expect(averaged).toBeLessThan(450_000);
    expect(Math.abs((p99 as number) - averaged)).toBeGreaterThan(300_000);
  });

  it("p50: a slow tester with few samples barely moves the median; averaging drags it far up", () => {
    const many = latencySamplesUs(9_000, { seed: 12, medianUs: 1_000 });
    const fewSlow = latencySamplesUs(1_000, { seed: 13, medianUs: 100_000 });
    const union = [...many, ...fewSlow];
    const h = decodeHistogram(mergeReports([reportWithSamples("a", many), reportWithSamples("b", fewSlow)]).histograms.edit as string);
    const [p50] = percentiles(h, [50]);
    expectWithinHdrPrecision(p50 as number, exactPercentile(union, 50));
    expect(averagedPercentile([many, fewSlow], 50)).toBeGreaterThan(40 * (p50 as number));
  });
});

describe("mergeReports: counters, seconds and validation", () => {
  it("sums counters (max for schedule lag) and adds per-second histograms", () => {
    const a = reportWithSamples("a", [1_000, 2_000]);
    const b = reportWithSamples("b", [3_000]);
    a.counters.errors = { TIMEOUT: 2 };
    b.counters.errors = { TIMEOUT: 1, FORBIDDEN: 4 };
    a.counters.maxScheduleLagMs = 3;
    b.counters.maxScheduleLagMs = 9;
    b.process = { ...b.process, saturated: true, reason: "busy" };
    const merged = mergeReports([a, b]);
    expect(merged.counters.sent).toBe(3);
    expect(merged.counters.errors).toEqual({ TIMEOUT: 3, FORBIDDEN: 4 });
    expect(merged.counters.maxScheduleLagMs).toBe(9);
    expect(merged.counters.byKind.edit).toEqual({ sent: 3, acked: 3, errors: 0 });
    expect(merged.clients).toBe(20);
    expect(merged.saturatedTesterIds).toEqual(["b"]);
    const seconds = Object.values(merged.perSecond);
    const perSecondTotal = seconds.reduce((sum, s) => sum + decodeHistogram(s.edit as string).totalCount, 0);
    expect(perSecondTotal).toBe(3);
  });

  it("refuses reports of different tests and a tester reported twice", () => {
    expect(() => mergeReports([])).toThrow(RangeError);
    expect(() => mergeReports([reportWithSamples("a", [1]), reportWithSamples("b", [1], { testId: 8 })])).toThrow(/different tests/);
    expect(() => mergeReports([reportWithSamples("a", [1]), reportWithSamples("a", [1])])).toThrow(/twice/);
  });

  it("names the tester whose histogram is damaged", () => {
    const bad = reportWithSamples("bad", [1], { histograms: { edit: "AAAAAAAAAAAA" } });
    expect(() => mergeReports([reportWithSamples("good", [1]), bad])).toThrow(HistogramDecodeError);
    expect(() => mergeReports([reportWithSamples("good", [1]), bad])).toThrow(/tester bad/);
  });

  it("percentiles of an empty histogram are 0", () => {
    expect(percentiles(decodeHistogram(encodeHistogram(createLatencyHistogram())))).toEqual([0, 0, 0, 0, 0]);
    expect(() => percentiles(createLatencyHistogram(), [101])).toThrow(RangeError);
  });
});
