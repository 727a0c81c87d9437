import { EVENT_KINDS } from "./scenario.js";
import type { MergedReport } from "./stats/merge-reports.js";
import { encodeHistogram, mergeHistograms } from "./stats/latency-histogram.js";
import { DEFAULT_PERCENTILES } from "./stats/percentiles.js";
import { summarizeLatency, type LatencySummary } from "./stats/summarize-latency.js";

export interface ResultsTableOptions {
  /** @default [50, 90, 99, 99.9, 100] */
  percentiles?: readonly number[];
}

/** The final results of a test as plain text: a latency table per event kind, then the counters. */
export function renderResultsTable(merged: MergedReport, options: ResultsTableOptions = {}): string {
  const at = options.percentiles ?? DEFAULT_PERCENTILES;
  const { counters } = merged;
  const durationSec = Math.max(0, merged.endedAt - merged.startedAt) / 1000;
  const rows = summarizeLatency(merged.histograms, { at, order: [...EVENT_KINDS] });
  // "all" adds the ack histograms (not the delivery ones, which count the same events again).
  const ackKeys = Object.keys(merged.histograms).filter((key) => !key.includes("."));
  if (ackKeys.length > 1) {
    const all = encodeHistogram(mergeHistograms(ackKeys.map((key) => merged.histograms[key] as string)));
    rows.push(...summarizeLatency({ all }, { at }));
  }

  const header = ["event", "count", "errors", ...at.map((p) => (p === 100 ? "max ms" : `p${p} ms`)), "mean ms"];
  const body = rows.map((row) => [
    row.key,
    String(row.count),
    String(errorsOf(merged, row)),
    ...row.valuesMs.map((ms) => (row.count > 0 ? formatMs(ms) : "-")),
    row.count > 0 ? formatMs(row.meanMs) : "-",
  ]);
  const lines = [
    `Test ${merged.testId} · ${plural(merged.testerIds.length, "tester")} · ${plural(merged.clients, "client")} · ${durationSec.toFixed(1)} s`,
    "",
    ...alignColumns([header, ...body]),
    "",
    `Sent ${counters.sent} · acked ${counters.acked} · errors ${sumValues(counters.errors)}${formatErrors(counters.errors)} · ` +
      `throughput ${durationSec > 0 ? (counters.acked / durationSec).toFixed(1) : "0"}/s`,
    `Late sends ${counters.lateSends} (max schedule lag ${formatMs(counters.maxScheduleLagMs)} ms) · cancelled ${counters.cancelled}`,
    `Delivery: delivered ${counters.delivered} · lost ${counters.lost} · duplicates ${counters.duplicates} · out of order ${counters.outOfOrder}`,
  ];
  if (counters.negativeLatencies > 0 || counters.overRange > 0) {
    lines.push(`Clamped latencies: ${counters.negativeLatencies} below 0 (clock offset error), ${counters.overRange} above 60 s`);
  }
  if (merged.perSecondDropped > 0) lines.push(`Per-second histograms dropped: ${merged.perSecondDropped}`);
  if (merged.abortedTesterIds.length > 0) lines.push(`Aborted testers: ${merged.abortedTesterIds.join(", ")}`);
  if (merged.saturatedTesterIds.length > 0) {
    lines.push(`WARNING: saturated testers (${merged.saturatedTesterIds.join(", ")}): they could not keep their schedule, so this run is not valid`);
  }
  return lines.join("\n") + "\n";
}

function errorsOf(merged: MergedReport, row: LatencySummary): number {
  if (row.key === "all") return sumValues(merged.counters.errors);
  return merged.counters.byKind[row.key]?.errors ?? 0;
}

function alignColumns(rows: readonly string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, col) => Math.max(...rows.map((row) => (row[col] ?? "").length)));
  // The first column (names) is left-aligned, numbers right-aligned.
  return rows.map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join("  ").trimEnd());
}

function formatMs(ms: number): string {
  if (ms < 10) return ms.toFixed(2);
  if (ms < 1000) return ms.toFixed(1);
  return ms.toFixed(0);
}

function formatErrors(errors: Record<string, number>): string {
  const entries = Object.entries(errors).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? "" : ` (${entries.map(([code, count]) => `${code} ${count}`).join(", ")})`;
}

function sumValues(record: Record<string, number>): number {
  return Object.values(record).reduce((a, b) => a + b, 0);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
