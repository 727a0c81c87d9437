// Builders for the bench's unit tests only.
import { createProcessMonitor } from "@cohort/loadtest";
import type { DriverReport, SystemName } from "../driver/protocol.js";
import { createStageHistograms, encodeStages, recordStages, type Stage } from "../driver/stages.js";
import { combineReports, type RunResult } from "../scenarios/run-result.js";

/** One driver's encoded stage histograms, with one event per entry (stage durations in ms). */
export function encodedStages(events: readonly Record<Stage, number>[]): Record<Stage, string> {
  const histograms = createStageHistograms();
  for (const event of events) recordStages(histograms, event);
  return encodeStages(histograms);
}

/** A stream driver's report that delivered nothing, but for the given stage histograms. */
export function driverReport(stages?: Record<Stage, string>): DriverReport {
  const zero = { edit: 0, cursor: 0 };
  const empty = encodedStages([]).client;
  return {
    driver: 0,
    clients: 1,
    connectFailures: 0,
    counts: { sent: zero, expected: zero, received: zero, duplicates: 0, unattributed: 0, resets: 0, sendErrors: 0, receiversShort: 0 },
    latency: empty,
    latencyByKind: { edit: empty, cursor: empty },
    sendLag: empty,
    stages,
    process: createProcessMonitor().stop(),
    errors: [],
  };
}

/** The fanout-50 result of `system` from the given driver reports. */
export function streamResult(system: SystemName, reports: DriverReport[]): RunResult {
  return combineReports({
    scenario: "fanout-50",
    system,
    reports,
    startAt: 0,
    durationMs: 1_000,
    server: { cpuPct: 0, rssStartBytes: 0, rssEndBytes: 0, rssPeakBytes: 0 },
    coalescesCursors: system === "cohort",
  });
}
