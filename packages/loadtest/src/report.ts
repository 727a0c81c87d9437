import { gunzipSync, gzipSync } from "node:zlib";
import { z } from "zod";
import { zCounters } from "./stats/counters.js";
import { decodeHistogram } from "./stats/latency-histogram.js";
import { MAX_TRACE_SAMPLES, zTraceSample } from "./stats/trace-sampler.js";
import { zProcessStats } from "./process-monitor.js";

const zBase64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, "not base64");
const zEncodedHistograms = z.record(z.string(), zBase64);

/**
 * The clock estimate (minimum-RTT `session.timeSync`) a tester put its times on the server's clock
 * with: delivery latencies between machines are only exact to ±`uncertaintyMs` (per machine).
 */
export const zReportClock = z.object({
  offsetMs: z.number().finite(),
  uncertaintyMs: z.number().finite().min(0),
  rttMs: z.number().finite(),
  samples: z.number().int().positive(),
});

/** What a tester uploads at the end of a run (gzip JSON, see {@link encodeReport}). */
export const zTesterReport = z.object({
  testId: z.number().int().positive(),
  testerId: z.string().min(1),
  clients: z.number().int().min(0),
  /** Epoch ms of the schedule's start and of the run's end. */
  startedAt: z.number(),
  endedAt: z.number(),
  /** Whether the schedule ran to its end or was aborted. */
  stopReason: z.enum(["completed", "aborted"]),
  /** Whole-run latency histograms (µs) by key: an event kind, or `<kind>.delivery`. */
  histograms: zEncodedHistograms,
  /** By epoch second (as a string), the histograms of outcomes that arrived in that second. */
  perSecond: z.record(z.string().regex(/^\d+$/, "not an epoch second"), zEncodedHistograms),
  /** Seconds left out of `perSecond` because of its cap. */
  perSecondDropped: z.number().int().min(0),
  counters: zCounters,
  process: zProcessStats,
  sampledTraces: z.array(zTraceSample).max(MAX_TRACE_SAMPLES),
  /** Optional: testers built before it was reported (an older ECS image) still upload valid reports. */
  clock: zReportClock.optional(),
});
export type TesterReport = z.infer<typeof zTesterReport>;

export class ReportDecodeError extends Error {
  override readonly name = "ReportDecodeError";
}

export function encodeReport(report: TesterReport): Buffer {
  return gzipSync(JSON.stringify(report));
}

/**
 * Unzips, parses and validates a tester's upload. Throws {@link ReportDecodeError} saying what is
 * wrong, so a corrupt report marks its tester failed instead of vanishing from the results.
 */
export function decodeReport(buf: Uint8Array): TesterReport {
  let text: string;
  try {
    text = gunzipSync(buf).toString("utf8");
  } catch (cause) {
    throw new ReportDecodeError(`tester report is not valid gzip: ${(cause as Error).message}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ReportDecodeError(`tester report is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = zTesterReport.safeParse(json);
  if (!parsed.success) throw new ReportDecodeError(`tester report is invalid:\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  // The whole-run histograms are decoded here (they are few) so that a damaged one fails this
  // tester now rather than the merge of every tester later.
  for (const [key, base64] of Object.entries(parsed.data.histograms)) {
    try {
      decodeHistogram(base64);
    } catch (cause) {
      throw new ReportDecodeError(`tester report histogram "${key}" is damaged: ${(cause as Error).message}`, { cause });
    }
  }
  return parsed.data;
}
