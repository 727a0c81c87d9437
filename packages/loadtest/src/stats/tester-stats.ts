import type { Histogram } from "hdr-histogram-js";
import { cloneCounters, createCounters, kindCounters, type Counters } from "./counters.js";
import type { DeliverySummary } from "./delivery-tracker.js";
import { createLatencyHistogram, decodeHistogram, encodeHistogram, HIGHEST_LATENCY_US } from "./latency-histogram.js";

export interface TesterStatsOptions {
  /**
   * Per-second histograms kept; later seconds are dropped and counted in `perSecondDropped`, so a
   * forgotten test cannot grow a report without bound.
   * @default 3_600
   */
  perSecondLimit?: number;
  /**
   * A send this much later than its intended time counts as late. Timer granularity alone makes
   * sends about 1 ms late, so a lower threshold would count noise.
   * @default 5
   */
  lateSendThresholdMs?: number;
}

export const testerStatsDefaults = { perSecondLimit: 3_600, lateSendThresholdMs: 5 } as const satisfies Required<TesterStatsOptions>;

/** Encoded histograms by key (an event kind, or e.g. `edit.delivery`). */
export type EncodedHistograms = Record<string, string>;

export interface ClosedSecond {
  /** Epoch second (floor of epoch ms / 1000). */
  second: number;
  histograms: EncodedHistograms;
}

/** The histogram key for latencies seen by receivers of another client's event. */
export function deliveryKey(kind: string): string {
  return `${kind}.delivery`;
}

/**
 * Everything one tester measures: a latency histogram per key for the whole run and per wall-clock
 * second, and counters. Per-second histograms are keyed by the second the outcome arrived in, so a
 * second can be encoded and freed as soon as it is over; the latency inside is still measured from
 * the intended send time, so a stall shows as a spike when it ends instead of vanishing.
 */
export class TesterStats {
  readonly #options: Required<TesterStatsOptions>;
  readonly #counters = createCounters();
  readonly #totals = new Map<string, Histogram>();
  readonly #openSeconds = new Map<number, Map<string, Histogram>>();
  readonly #closedSeconds = new Map<number, EncodedHistograms>();
  #perSecondDropped = 0;

  constructor(options: TesterStatsOptions = {}) {
    this.#options = { ...testerStatsDefaults, ...options };
  }

  /** Latency from the intended send time to `receivedAtMs` (an ack, or another client's receipt). */
  recordLatency(kind: string, intendedAtMs: number, receivedAtMs: number): void {
    let latencyUs = Math.round((receivedAtMs - intendedAtMs) * 1000);
    if (latencyUs < 0) {
      this.#counters.negativeLatencies++;
      latencyUs = 0;
    } else if (latencyUs > HIGHEST_LATENCY_US) {
      this.#counters.overRange++;
      latencyUs = HIGHEST_LATENCY_US;
    }
    histogramOf(this.#totals, kind).recordValue(latencyUs);
    const second = Math.floor(receivedAtMs / 1000);
    let open = this.#openSeconds.get(second);
    if (!open) {
      open = new Map();
      this.#openSeconds.set(second, open);
    }
    histogramOf(open, kind).recordValue(latencyUs);
  }

  recordSend(kind: string, intendedAtMs: number, sentAtMs: number): void {
    this.#counters.sent++;
    kindCounters(this.#counters, kind).sent++;
    const lagMs = sentAtMs - intendedAtMs;
    if (lagMs > this.#options.lateSendThresholdMs) this.#counters.lateSends++;
    if (lagMs > this.#counters.maxScheduleLagMs) this.#counters.maxScheduleLagMs = lagMs;
  }

  /** An acked send: counted, and its latency recorded from the intended time. */
  recordAck(kind: string, intendedAtMs: number, ackAtMs: number): void {
    this.#counters.acked++;
    kindCounters(this.#counters, kind).acked++;
    this.recordLatency(kind, intendedAtMs, ackAtMs);
  }

  recordError(kind: string, code: string): void {
    this.#counters.errors[code] = (this.#counters.errors[code] ?? 0) + 1;
    kindCounters(this.#counters, kind).errors++;
  }

  recordCancelled(): void {
    this.#counters.cancelled++;
  }

  recordDelivery(summary: Omit<DeliverySummary, "unexpected">): void {
    this.#counters.delivered += summary.delivered;
    this.#counters.lost += summary.lost;
    this.#counters.duplicates += summary.duplicates;
    this.#counters.outOfOrder += summary.outOfOrder;
  }

  counters(): Counters {
    return cloneCounters(this.#counters);
  }

  /** Whole-run histograms, encoded. */
  histograms(): EncodedHistograms {
    return encodeAll(this.#totals);
  }

  /** Encodes and frees every second before `epochSecond`; returns them in time order. */
  closeSecondsBefore(epochSecond: number): ClosedSecond[] {
    const due = [...this.#openSeconds.keys()].filter((s) => s < epochSecond).sort((a, b) => a - b);
    const closed: ClosedSecond[] = [];
    for (const second of due) {
      const open = this.#openSeconds.get(second) as Map<string, Histogram>;
      this.#openSeconds.delete(second);
      const earlier = this.#closedSeconds.get(second);
      if (earlier) {
        // A straggler for a second already closed (a receipt stamped with a corrected clock):
        // add it to what was kept rather than lose it.
        for (const [key, histogram] of open) {
          const kept = earlier[key];
          if (kept !== undefined) histogram.add(decodeHistogram(kept));
        }
        this.#closedSeconds.set(second, { ...earlier, ...encodeAll(open) });
      } else if (this.#closedSeconds.size >= this.#options.perSecondLimit) {
        this.#perSecondDropped++;
        continue;
      } else {
        this.#closedSeconds.set(second, encodeAll(open));
      }
      closed.push({ second, histograms: this.#closedSeconds.get(second) as EncodedHistograms });
    }
    return closed;
  }

  /** Closes every open second and returns all kept ones, keyed by epoch second. */
  perSecond(): { perSecond: Record<string, EncodedHistograms>; perSecondDropped: number } {
    this.closeSecondsBefore(Infinity);
    const perSecond: Record<string, EncodedHistograms> = {};
    for (const second of [...this.#closedSeconds.keys()].sort((a, b) => a - b)) {
      perSecond[String(second)] = this.#closedSeconds.get(second) as EncodedHistograms;
    }
    return { perSecond, perSecondDropped: this.#perSecondDropped };
  }
}

function histogramOf(histograms: Map<string, Histogram>, key: string): Histogram {
  let histogram = histograms.get(key);
  if (!histogram) {
    histogram = createLatencyHistogram();
    histograms.set(key, histogram);
  }
  return histogram;
}

function encodeAll(histograms: ReadonlyMap<string, Histogram>): EncodedHistograms {
  const encoded: EncodedHistograms = {};
  for (const [key, histogram] of histograms) encoded[key] = encodeHistogram(histogram);
  return encoded;
}
