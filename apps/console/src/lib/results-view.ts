import type { LatencyRow, LoadTestResults } from "~/trpc/types";

/**
 * Histogram keys are an event kind ("edit": send → ack, timed from the intended send time) or
 * "<kind>.delivery" (send → receipt by another client, clock-corrected).
 */
export function describeKey(key: string): { kind: string; measure: "ack" | "delivery"; label: string } {
  const [kind = key, suffix] = key.split(".");
  return suffix === "delivery"
    ? { kind, measure: "delivery", label: `${kind} delivery` }
    : { kind, measure: "ack", label: `${kind} ack` };
}

export const PERCENTILE_COLUMNS = [
  { key: "p50Ms", label: "p50" },
  { key: "p90Ms", label: "p90" },
  { key: "p99Ms", label: "p99" },
  { key: "p999Ms", label: "p99.9" },
  { key: "maxMs", label: "max" },
] as const satisfies readonly { key: keyof LatencyRow; label: string }[];

/** Acks first (in the server's order), then deliveries. */
export function orderedRows(results: LoadTestResults): LatencyRow[] {
  const acks = results.latency.filter((r) => describeKey(r.key).measure === "ack");
  const deliveries = results.latency.filter((r) => describeKey(r.key).measure === "delivery");
  return [...acks, ...deliveries];
}

/** A run's headline figures, as the summary, the comparison and the HTML report show them. */
export function headline(results: LoadTestResults) {
  return [
    { label: "clients", value: results.clients },
    { label: "duration (s)", value: results.durationSec },
    { label: "sent", value: results.throughput.sent },
    { label: "acked", value: results.throughput.acked },
    { label: "acked / s", value: results.throughput.ackedPerSec },
    { label: "delivered / s", value: results.throughput.deliveredPerSec },
    { label: "lost", value: results.loss.lost },
    { label: "loss rate", value: results.loss.lossRate, percent: true },
    { label: "duplicates", value: results.loss.duplicates },
    { label: "out of order", value: results.loss.outOfOrder },
    { label: "errors", value: results.errors.total },
  ] as const;
}
