import { describe, expect, it } from "vitest";
import { createLatencyHistogram, encodeHistogram } from "@cohort/loadtest";
import { LiveSeconds } from "./live-seconds.js";
import type { LoadTestProgressEvent } from "./publish.js";

function encoded(valuesMs: number[]): string {
  const histogram = createLatencyHistogram();
  for (const ms of valuesMs) histogram.recordValue(ms * 1000);
  return encodeHistogram(histogram);
}

function progress(testerId: string, second: number, histograms: Record<string, number[]>, sent = 10): LoadTestProgressEvent {
  return {
    type: "progress",
    testerId,
    second,
    histograms: Object.fromEntries(Object.entries(histograms).map(([key, values]) => [key, encoded(values)])),
    counters: { sent, acked: sent, errors: 1, delivered: 5 },
    process: { cpuPct: testerId === "t0" ? 20 : 60, lagP99Ms: 1 },
  };
}

describe("LiveSeconds", () => {
  it("merges the testers' histograms of a second before reading percentiles", () => {
    const live = new LiveSeconds();
    live.add(progress("t0", 100, { edit: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] }));
    const second = live.add(progress("t1", 100, { edit: [100], "edit.delivery": [5, 6] }));
    expect(second).toMatchObject({ type: "second", second: 100, testers: 2, acks: 11, sent: 20, errors: 2, delivered: 10, maxCpuPct: 60 });
    // The p99 of all eleven acks is the slow one; averaging the testers' p99s would say ~50 ms.
    expect(second.p99Ms).toBeCloseTo(100, 0);
    expect(second.p50Ms).toBeCloseTo(1, 1);
    expect(second.byKey["edit.delivery"]).toMatchObject({ count: 2 });
  });

  it("replaces a tester's figures when it reports a second again", () => {
    const live = new LiveSeconds();
    live.add(progress("t0", 100, { edit: [1, 2] }));
    const again = live.add(progress("t0", 100, { edit: [1, 2, 3] }));
    expect(again).toMatchObject({ testers: 1, acks: 3 });
  });
});
