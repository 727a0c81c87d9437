import { decodeHistogram } from "./latency-histogram.js";
import { DEFAULT_PERCENTILES, percentiles } from "./percentiles.js";
import type { EncodedHistograms } from "./tester-stats.js";

export interface LatencySummary {
  /** Histogram key: an event kind or `<kind>.delivery`. */
  key: string;
  count: number;
  meanMs: number;
  /** Values at `at`, in ms, in the same order. */
  valuesMs: number[];
  at: number[];
}

/** Percentiles (ms) of each encoded histogram, in the order of `order` then the rest by name. */
export function summarizeLatency(
  histograms: EncodedHistograms,
  { at = DEFAULT_PERCENTILES, order = [] }: { at?: readonly number[]; order?: readonly string[] } = {},
): LatencySummary[] {
  const rank = (key: string) => {
    const i = order.indexOf(key);
    return i === -1 ? order.length : i;
  };
  const keys = Object.keys(histograms).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return keys.map((key) => {
    const histogram = decodeHistogram(histograms[key] as string);
    return {
      key,
      count: histogram.totalCount,
      meanMs: histogram.totalCount > 0 ? histogram.mean / 1000 : 0,
      valuesMs: percentiles(histogram, at).map((us) => us / 1000),
      at: [...at],
    };
  });
}

/** Summaries whose p99 exceeds `maxP99Ms` (for a CI gate such as `--max-p99`). */
export function findP99Violations(histograms: EncodedHistograms, maxP99Ms: number): LatencySummary[] {
  return summarizeLatency(histograms, { at: [99] }).filter((s) => s.count > 0 && (s.valuesMs[0] as number) > maxP99Ms);
}
