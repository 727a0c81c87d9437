import { sampleProcess } from "../proc/proc-stats.js";

export interface MetricsSample {
  /** Minutes since the soak started. */
  atMin: number;
  rssMb: number;
  heapUsedMb: number;
  lagP99Ms: number;
  connections: number;
}

/** The value of the first metric whose name ends with `suffix` (Prometheus text format). */
export function metricValue(text: string, suffix: string): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const [name, value] = line.split(" ");
    if (name && value && (name === suffix || name.endsWith(suffix))) return Number(value);
  }
  return undefined;
}

/** One sample of an instance: its /metrics (heap, event-loop lag, connections) and /proc (RSS). */
export async function scrapeMetrics(url: string, pid: number, startedAt: number): Promise<MetricsSample> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const text = await response.text();
  const rss = metricValue(text, "resident_memory_bytes") ?? sampleProcess(pid)?.rssBytes ?? 0;
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    atMin: (Date.now() - startedAt) / 60_000,
    rssMb: round(rss / 1024 / 1024),
    heapUsedMb: round((metricValue(text, "heap_size_used_bytes") ?? 0) / 1024 / 1024),
    lagP99Ms: round((metricValue(text, "eventloop_lag_p99_seconds") ?? 0) * 1000),
    connections: metricValue(text, "cohort_ws_connections") ?? 0,
  };
}
