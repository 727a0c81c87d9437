import {
  createCounters,
  decodeHistogram,
  decodeReport,
  EVENT_KINDS,
  HistogramDecodeError,
  mergeHistograms,
  mergeReports,
  percentiles,
  summarizeLatency,
  type Counters,
  type MergedReport,
  type TesterReport,
} from "@cohort/loadtest";
import type { BlobStore } from "@cohort/storage";
import { testerIdOf } from "./tester-ids.js";
import { saturationOf } from "./tester-saturation.js";
import { loadTestBlobs } from "./topics.js";
import type { LoadTestRow, LoadTestStateName } from "./view.js";

/** Latency of one histogram key (an event kind, or `<kind>.delivery`), in ms. */
export interface LatencyRow {
  key: string;
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export interface SecondRow {
  /** Epoch second. */
  second: number;
  /** Acknowledged events that second (all kinds; deliveries not included). */
  count: number;
  p50Ms: number;
  p99Ms: number;
  byKey: Record<string, { count: number; p50Ms: number; p99Ms: number }>;
}

export interface LoadTestResults {
  testId: number;
  /** False while testers may still report: the figures then cover only the reports so far. */
  final: boolean;
  state: LoadTestStateName;
  clients: number;
  testers: {
    total: number;
    reported: string[];
    failed: { testerId: string; error: string | null }[];
    saturated: { testerId: string; reason: string | null }[];
    aborted: string[];
  };
  /** Epoch ms of the earliest start and latest end among the reports; null without reports. */
  startedAt: number | null;
  endedAt: number | null;
  durationSec: number;
  /** Percentiles of the merged histograms (one per key; never averaged across testers). */
  latency: LatencyRow[];
  overTime: SecondRow[];
  throughput: { sent: number; acked: number; ackedPerSec: number; deliveredPerSec: number };
  loss: { delivered: number; lost: number; duplicates: number; outOfOrder: number; lossRate: number };
  errors: { total: number; byCode: Record<string, number> };
  counters: Counters;
  /** False when a tester failed or was saturated: the figures then understate the load or the latency. */
  valid: boolean;
  warnings: string[];
  /** Merged whole-run histograms (HdrHistogram compressed base64, µs) for spectra and downloads. */
  histograms: Record<string, string>;
  /** Where the raw (gzip JSON) tester reports are kept in the blob store. */
  reports: { prefix: string; keys: string[] };
}

/**
 * Reads the stored reports of the test's finished testers and merges them. A report that cannot
 * be decoded or merged makes its tester failed rather than the whole result: `onDamaged` is told
 * which. A report that cannot be read (blob store unavailable) makes the call fail.
 */
export async function buildResults(
  { blobs, test, final, onDamaged }: { blobs: BlobStore | undefined; test: LoadTestRow; final: boolean; onDamaged?: (testerId: string, reason: string) => Promise<void> },
): Promise<LoadTestResults> {
  const reports: TesterReport[] = [];
  const damaged = new Map<string, string>();
  for (const tester of test.testers) {
    if (tester.state !== "DONE" || !tester.reportKey || !blobs) continue;
    // A read failure (the store is away) is thrown, so the caller tries again later; only a report
    // that reads but does not decode makes its tester failed.
    const body = await blobs.get(tester.reportKey);
    try {
      reports.push(decodeReport(body));
    } catch (error) {
      damaged.set(testerIdOf(tester.index), `stored report damaged: ${(error as Error).message}`);
    }
  }
  let merged: MergedReport | null = null;
  while (reports.length > 0 && !merged) {
    try {
      merged = mergeReports(reports);
    } catch (error) {
      if (!(error instanceof HistogramDecodeError)) throw error;
      const culprit = reports.findIndex((r) => error.message.includes(`tester ${r.testerId} `));
      if (culprit === -1) throw error;
      damaged.set(reports[culprit]!.testerId, error.message);
      reports.splice(culprit, 1);
    }
  }
  for (const [testerId, reason] of damaged) await onDamaged?.(testerId, reason);
  return summarize({ test, final, merged, reports, damaged });
}

function summarize({
  test,
  final,
  merged,
  reports,
  damaged,
}: {
  test: LoadTestRow;
  final: boolean;
  merged: MergedReport | null;
  reports: TesterReport[];
  damaged: ReadonlyMap<string, string>;
}): LoadTestResults {
  const failed = test.testers
    .filter((t) => t.state === "FAILED" || damaged.has(testerIdOf(t.index)))
    .map((t) => ({ testerId: testerIdOf(t.index), error: damaged.get(testerIdOf(t.index)) ?? t.error }));
  const saturated = reports.flatMap((r) => {
    const { saturated: isSaturated, reason } = saturationOf(r);
    return isSaturated ? [{ testerId: r.testerId, reason }] : [];
  });
  const counters = merged?.counters ?? createCounters();
  const durationSec = merged ? Math.max(0, merged.endedAt - merged.startedAt) / 1000 : 0;
  const errorsTotal = Object.values(counters.errors).reduce((a, b) => a + b, 0);
  const owed = counters.delivered + counters.lost;
  const warnings: string[] = [];
  if (failed.length > 0) warnings.push(`${failed.length} of ${test.testers.length} testers failed; their clients are missing from the figures`);
  if (saturated.length > 0) warnings.push(`saturated testers (${saturated.map((s) => s.testerId).join(", ")}) could not keep their schedule`);
  if (counters.negativeLatencies > 0) warnings.push(`${counters.negativeLatencies} latencies were below 0 (clock offset error) and were counted as 0`);
  if (!final) warnings.push("not final: testers may still report");
  return {
    testId: test.id,
    final,
    state: test.state.toLowerCase() as LoadTestStateName,
    clients: test.clients,
    testers: {
      total: test.testers.length,
      reported: reports.map((r) => r.testerId),
      failed,
      saturated,
      aborted: merged?.abortedTesterIds ?? [],
    },
    startedAt: merged?.startedAt ?? null,
    endedAt: merged?.endedAt ?? null,
    durationSec,
    latency: merged ? latencyRows(merged.histograms) : [],
    overTime: merged ? secondRows(merged.perSecond) : [],
    throughput: {
      sent: counters.sent,
      acked: counters.acked,
      ackedPerSec: durationSec > 0 ? counters.acked / durationSec : 0,
      deliveredPerSec: durationSec > 0 ? counters.delivered / durationSec : 0,
    },
    loss: {
      delivered: counters.delivered,
      lost: counters.lost,
      duplicates: counters.duplicates,
      outOfOrder: counters.outOfOrder,
      lossRate: owed > 0 ? counters.lost / owed : 0,
    },
    errors: { total: errorsTotal, byCode: counters.errors },
    counters,
    valid: failed.length === 0 && saturated.length === 0 && reports.length > 0,
    warnings,
    histograms: merged?.histograms ?? {},
    reports: {
      prefix: loadTestBlobs.prefix(test.id),
      keys: test.testers.flatMap((t) => (t.state === "DONE" && t.reportKey ? [t.reportKey] : [])),
    },
  };
}

const AT = [50, 90, 99, 99.9, 100];

function latencyRows(histograms: Record<string, string>): LatencyRow[] {
  return summarizeLatency(histograms, { at: AT, order: [...EVENT_KINDS] }).map((s) => {
    const [p50Ms, p90Ms, p99Ms, p999Ms, maxMs] = s.valuesMs as [number, number, number, number, number];
    return { key: s.key, count: s.count, meanMs: s.meanMs, p50Ms, p90Ms, p99Ms, p999Ms, maxMs };
  });
}

function secondRows(perSecond: Record<string, Record<string, string>>): SecondRow[] {
  return Object.entries(perSecond)
    .map(([second, histograms]) => {
      const byKey: SecondRow["byKey"] = {};
      for (const [key, base64] of Object.entries(histograms)) {
        const histogram = decodeHistogram(base64);
        const [p50, p99] = percentiles(histogram, [50, 99]) as [number, number];
        byKey[key] = { count: histogram.totalCount, p50Ms: p50 / 1000, p99Ms: p99 / 1000 };
      }
      // Acks of every kind in one histogram; deliveries (keys with a dot) count the same events again.
      const acks = Object.entries(histograms).filter(([key]) => !key.includes("."));
      const all = acks.length > 0 ? mergeHistograms(acks.map(([, base64]) => base64)) : null;
      const [p50, p99] = all ? (percentiles(all, [50, 99]) as [number, number]) : [0, 0];
      return { second: Number(second), count: all?.totalCount ?? 0, p50Ms: p50 / 1000, p99Ms: p99 / 1000, byKey };
    })
    .sort((a, b) => a.second - b.second);
}
