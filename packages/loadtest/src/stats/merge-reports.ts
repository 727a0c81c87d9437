import type { TesterReport } from "../report.js";
import { addCounters, createCounters, type Counters } from "./counters.js";
import { encodeHistogram, HistogramDecodeError, mergeHistograms } from "./latency-histogram.js";
import type { EncodedHistograms } from "./tester-stats.js";

/** Several testers' reports of one test, combined. */
export interface MergedReport {
  testId: number;
  testerIds: string[];
  clients: number;
  startedAt: number;
  endedAt: number;
  /** Whole-run histograms, each the sum of every tester's. */
  histograms: EncodedHistograms;
  /** By epoch second, the sum of every tester's histograms of that second. */
  perSecond: Record<string, EncodedHistograms>;
  perSecondDropped: number;
  counters: Counters;
  /** Testers that were too busy to keep their schedule: their figures (and so the run's) are suspect. */
  saturatedTesterIds: string[];
  /** Testers whose run was aborted before its end. */
  abortedTesterIds: string[];
}

/**
 * Adds the testers' histograms and counters. Histograms are added count by count, so every
 * percentile read from the result is a percentile of all samples; averaging the testers'
 * percentiles would not be.
 */
export function mergeReports(reports: readonly TesterReport[]): MergedReport {
  const first = reports[0];
  if (!first) throw new RangeError("mergeReports needs at least one report");
  const other = reports.find((r) => r.testId !== first.testId);
  if (other) throw new RangeError(`reports of different tests: ${first.testId} and ${other.testId}`);
  const testerIds = reports.map((r) => r.testerId);
  const repeated = testerIds.find((id, i) => testerIds.indexOf(id) !== i);
  if (repeated !== undefined) throw new RangeError(`tester ${repeated} reported twice; its figures would be counted twice`);

  const counters = createCounters();
  for (const report of reports) addCounters(counters, report.counters);
  const seconds = new Set(reports.flatMap((r) => Object.keys(r.perSecond)));
  const perSecond: Record<string, EncodedHistograms> = {};
  for (const second of [...seconds].sort((a, b) => Number(a) - Number(b))) {
    perSecond[second] = mergeKeyed(reports.map((r) => ({ testerId: r.testerId, histograms: r.perSecond[second] ?? {} })));
  }
  return {
    testId: first.testId,
    testerIds,
    clients: sum(reports.map((r) => r.clients)),
    startedAt: Math.min(...reports.map((r) => r.startedAt)),
    endedAt: Math.max(...reports.map((r) => r.endedAt)),
    histograms: mergeKeyed(reports.map((r) => ({ testerId: r.testerId, histograms: r.histograms }))),
    perSecond,
    perSecondDropped: sum(reports.map((r) => r.perSecondDropped)),
    counters,
    saturatedTesterIds: reports.filter((r) => r.process.saturated).map((r) => r.testerId),
    abortedTesterIds: reports.filter((r) => r.stopReason === "aborted").map((r) => r.testerId),
  };
}

function mergeKeyed(sources: readonly { testerId: string; histograms: EncodedHistograms }[]): EncodedHistograms {
  const keys = new Set(sources.flatMap((s) => Object.keys(s.histograms)));
  const merged: EncodedHistograms = {};
  for (const key of [...keys].sort()) {
    const parts = sources.flatMap((s) => {
      const base64 = s.histograms[key];
      return base64 === undefined ? [] : [{ testerId: s.testerId, base64 }];
    });
    try {
      merged[key] = encodeHistogram(mergeHistograms(parts.map((p) => p.base64)));
    } catch (error) {
      if (!(error instanceof HistogramDecodeError)) throw error;
      // Name the tester: the caller can then drop it and merge the rest.
      const culprit = parts.find((p) => !isDecodable(p.base64));
      throw new HistogramDecodeError(`histogram "${key}" of tester ${culprit?.testerId ?? "?"} is damaged: ${error.message}`, { cause: error });
    }
  }
  return merged;
}

function isDecodable(base64: string): boolean {
  try {
    mergeHistograms([base64]);
    return true;
  } catch {
    return false;
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
