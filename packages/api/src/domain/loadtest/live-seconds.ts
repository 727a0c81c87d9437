import { mergeHistograms, percentiles } from "@cohort/loadtest";
import type { LoadTestProgressEvent } from "./publish.js";

/** The whole test's figures of one wall-clock second, as loadtest.watch shows them live. */
export interface LiveSecond {
  type: "second";
  /** Epoch second. */
  second: number;
  /** Testers that reported this second so far. */
  testers: number;
  /** Acknowledged events (all kinds) and their latency, ms. */
  acks: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  byKey: Record<string, { count: number; p50Ms: number; p99Ms: number; maxMs: number }>;
  /** Cumulative, summed over testers. */
  sent: number;
  errors: number;
  delivered: number;
  /** The busiest tester's CPU (% of a core) and event-loop delay: a saturated tester skews results. */
  maxCpuPct: number;
  maxLagP99Ms: number;
}

/**
 * Merges testers' per-second progress into per-second figures of the test. A tester may report a
 * second again (a late result arrived): its earlier figures for that second are replaced.
 */
export class LiveSeconds {
  readonly #seconds = new Map<number, Map<string, LoadTestProgressEvent>>();
  readonly #latest = new Map<string, LoadTestProgressEvent>();
  readonly #keep: number;

  constructor({ keepSeconds = 30 }: { keepSeconds?: number } = {}) {
    this.#keep = keepSeconds;
  }

  add(progress: LoadTestProgressEvent): LiveSecond {
    let second = this.#seconds.get(progress.second);
    if (!second) {
      second = new Map();
      this.#seconds.set(progress.second, second);
      for (const old of this.#seconds.keys()) if (old <= progress.second - this.#keep) this.#seconds.delete(old);
    }
    second.set(progress.testerId, progress);
    const latest = this.#latest.get(progress.testerId);
    if (!latest || latest.second <= progress.second) this.#latest.set(progress.testerId, progress);
    return this.#summarize(progress.second, [...second.values()]);
  }

  #summarize(epochSecond: number, parts: LoadTestProgressEvent[]): LiveSecond {
    const keys = new Set(parts.flatMap((p) => Object.keys(p.histograms)));
    const byKey: LiveSecond["byKey"] = {};
    for (const key of keys) {
      const histogram = mergeHistograms(parts.flatMap((p) => p.histograms[key] ?? []));
      const [p50, p99, max] = percentiles(histogram, [50, 99, 100]) as [number, number, number];
      byKey[key] = { count: histogram.totalCount, p50Ms: p50 / 1000, p99Ms: p99 / 1000, maxMs: max / 1000 };
    }
    // Deliveries (keys with a dot) count the same events again, so only acks make the total.
    const acks = mergeHistograms(parts.flatMap((p) => Object.entries(p.histograms).filter(([key]) => !key.includes(".")).map(([, h]) => h)));
    const [p50, p99, max] = percentiles(acks, [50, 99, 100]) as [number, number, number];
    const latest = [...this.#latest.values()];
    return {
      type: "second",
      second: epochSecond,
      testers: parts.length,
      acks: acks.totalCount,
      p50Ms: p50 / 1000,
      p99Ms: p99 / 1000,
      maxMs: max / 1000,
      byKey,
      sent: sum(latest.map((p) => p.counters.sent)),
      errors: sum(latest.map((p) => p.counters.errors)),
      delivered: sum(latest.map((p) => p.counters.delivered)),
      maxCpuPct: Math.max(0, ...parts.map((p) => p.process?.cpuPct ?? 0)),
      maxLagP99Ms: Math.max(0, ...parts.map((p) => p.process?.lagP99Ms ?? 0)),
    };
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
