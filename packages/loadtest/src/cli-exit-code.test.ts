import { describe, expect, it } from "vitest";
import { decideCliOutcome } from "./cli-exit-code.js";
import { findP99Violations } from "./stats/summarize-latency.js";
import { reportWithSamples } from "./testing/fixtures.js";

// 99 edits acked in 10 ms and one in 400 ms: p99 is 10 ms, the max 400 ms.
const histograms = reportWithSamples("a", [...Array.from({ length: 99 }, () => 10_000), 400_000]).histograms;

describe("findP99Violations", () => {
  it("names the histograms whose p99 is above the limit, with their p99", () => {
    const violations = findP99Violations(histograms, 5);
    expect(violations.map((v) => v.key)).toEqual(["edit"]);
    expect(violations[0]?.valuesMs[0]).toBeCloseTo(10, 0);
  });

  it("passes a p99 at or under the limit, and ignores empty histograms", () => {
    expect(findP99Violations(histograms, 11)).toEqual([]);
    expect(findP99Violations(reportWithSamples("b", []).histograms, 0.001)).toEqual([]);
  });
});

describe("decideCliOutcome", () => {
  it("exits 0 for a finished test within --max-p99, or without one", () => {
    expect(decideCliOutcome({ finalState: "done", error: null, histograms, maxP99Ms: 50 })).toEqual({ exitCode: 0, messages: [] });
    expect(decideCliOutcome({ finalState: "stopped", error: null, histograms, maxP99Ms: undefined }).exitCode).toBe(0);
  });

  it("exits 1 when --max-p99 is missed, saying which kind missed it", () => {
    const outcome = decideCliOutcome({ finalState: "done", error: null, histograms, maxP99Ms: 5 });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.messages).toEqual([expect.stringMatching(/^p99 of edit is 10\.\d ms, above --max-p99 5 ms$/)]);
  });

  it("exits 1 when the test failed, whatever the latencies", () => {
    const outcome = decideCliOutcome({ finalState: "failed", error: "every tester failed", histograms, maxP99Ms: 50 });
    expect(outcome).toEqual({ exitCode: 1, messages: ["The test failed: every tester failed"] });
  });
});
