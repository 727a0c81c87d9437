import { createLatencyHistogram, encodeHistogram, type Histogram } from "@cohort/loadtest";

/**
 * Where a Cohort event's latency goes, from the stamps its trace carries (t0 intended send, t1
 * client send, t2 server receive, t3 server emit) and the receiver's clock:
 * `client` = t1 − t0, `toServer` = t2 − t1, `server` = t3 − t2, `toReceiver` = receive − t3.
 */
export const STAGES = ["client", "toServer", "server", "toReceiver"] as const;
export type Stage = (typeof STAGES)[number];

/** The stamps a delivered event's trace carries (`EventTrace` of @cohort/api), epoch ms. */
export interface TraceStamps {
  t0?: number | undefined;
  t1: number;
  t2: number;
  t3?: number | undefined;
}

/**
 * Each stage's duration in ms, or undefined when the event was not stamped on emit (no t3). A
 * missing t0 counts as t1, as the marker's intended time does, so the stages still add up to the
 * latency recorded for the event. t1–t3 are whole milliseconds, so a short stage can come out
 * negative by up to a millisecond: it is clamped at 0.
 */
export function traceStages(trace: TraceStamps, receivedAt: number): Record<Stage, number> | undefined {
  if (trace.t3 === undefined) return undefined;
  return {
    client: since(trace.t0 ?? trace.t1, trace.t1),
    toServer: since(trace.t1, trace.t2),
    server: since(trace.t2, trace.t3),
    toReceiver: since(trace.t3, receivedAt),
  };
}

/**
 * A stage's duration, clamped at 0. At module level: run per received event in the generators, a
 * closure made per call cost them 1.3 % of their time (tsx wraps each one to keep its name).
 */
function since(from: number, to: number): number {
  return Math.max(0, to - from);
}

/** One latency histogram (µs) per stage. */
export function createStageHistograms(): Record<Stage, Histogram> {
  return mapStages(() => createLatencyHistogram());
}

/** Records one event's stages, in µs like every latency of the bench (0 stays 0: a stage can take no time). */
export function recordStages(histograms: Record<Stage, Histogram>, stages: Record<Stage, number>): void {
  for (const stage of STAGES) histograms[stage].recordValue(Math.round(stages[stage] * 1000));
}

export function encodeStages(histograms: Record<Stage, Histogram>): Record<Stage, string> {
  return mapStages((stage) => encodeHistogram(histograms[stage]));
}

export function mapStages<T>(value: (stage: Stage) => T): Record<Stage, T> {
  return { client: value("client"), toServer: value("toServer"), server: value("server"), toReceiver: value("toReceiver") };
}
