import { createLatencyHistogram, encodeHistogram, type Histogram } from "@cohort/loadtest";
import type { IntendedTable } from "./intended-table.js";
import type { Marker } from "./marker.js";
import { KINDS, type DeliveryCounts, type Kind } from "./protocol.js";
import { createStageHistograms, encodeStages, recordStages, type Stage } from "./stages.js";

/**
 * Counts and times what this driver's receivers get. Latency is receive time − intended send time
 * (open loop: a late generator or a slow server both show up), in µs, one HDR histogram per kind
 * plus one overall. Duplicates are found with one bitmap per (receiver, sender, kind). Cohort events
 * also carry their trace's stages, recorded once per event that delivered something new.
 */
export class DeliveryRecorder {
  readonly latency: Histogram = createLatencyHistogram();
  readonly byKind: Record<Kind, Histogram> = { edit: createLatencyHistogram(), cursor: createLatencyHistogram() };
  readonly sendLag: Histogram = createLatencyHistogram();
  readonly stages: Record<Stage, Histogram> = createStageHistograms();
  readonly received = new Map<number, Record<Kind, number>>();
  readonly sent: Record<Kind, number> = { edit: 0, cursor: 0 };
  duplicates = 0;
  unattributed = 0;
  resets = 0;
  sendErrors = 0;
  /** Wall time of the last delivery (for draining). */
  lastDeliveryAt = 0;
  readonly #seen = new Map<number, Uint8Array>();
  readonly #table: IntendedTable;
  readonly #expected: Map<number, Record<Kind, number>>;
  readonly #receivers: readonly number[];
  readonly #senders: number;

  constructor(options: { table: IntendedTable; expected: Map<number, Record<Kind, number>>; receivers: readonly number[]; senders: number }) {
    this.#table = options.table;
    this.#expected = options.expected;
    this.#receivers = options.receivers;
    this.#senders = options.senders;
    for (const receiver of options.receivers) this.received.set(receiver, { edit: 0, cursor: 0 });
  }

  /** A message (or several merged into one) reached `receiver` at `at` (epoch ms), with its trace's stages if any. */
  deliver(receiver: number, marker: Marker, at: number, stages?: Record<Stage, number>): void {
    if (marker.sender === receiver) return; // own echo: not a delivery
    const counts = this.received.get(receiver);
    const count = this.#table.count(marker.sender, marker.kind);
    if (!counts || marker.to < marker.from || marker.to >= count) {
      this.unattributed++;
      return;
    }
    const seen = this.#bitmap(receiver, marker.sender, marker.kind, count);
    let fresh = false;
    for (let kseq = marker.from; kseq <= marker.to; kseq++) {
      const byte = kseq >> 3;
      const bit = 1 << (kseq & 7);
      if ((seen[byte] as number) & bit) {
        this.duplicates++;
        continue;
      }
      seen[byte] = (seen[byte] as number) | bit;
      const intendedAt = kseq === marker.from ? marker.intendedAt : (this.#table.intendedAt(marker.sender, marker.kind, kseq) as number);
      const us = Math.max(1, Math.round((at - intendedAt) * 1000));
      this.latency.recordValue(us);
      this.byKind[marker.kind].recordValue(us);
      counts[marker.kind]++;
      fresh = true;
    }
    // A replayed event would count its stages twice; one that brought nothing new is not a delivery.
    if (fresh && stages) recordStages(this.stages, stages);
    this.lastDeliveryAt = at;
  }

  recordSend(kind: Kind, lagMs: number): void {
    this.sent[kind]++;
    this.sendLag.recordValue(Math.max(1, Math.round(lagMs * 1000)));
  }

  /** Every receiver has every edit it should (cursor moves may be coalesced by design). */
  complete(kinds: readonly Kind[] = KINDS): boolean {
    for (const receiver of this.#receivers) {
      const got = this.received.get(receiver)!;
      const want = this.#expected.get(receiver)!;
      for (const kind of kinds) if (got[kind] < want[kind]) return false;
    }
    return true;
  }

  counts(): DeliveryCounts {
    const expected: Record<Kind, number> = { edit: 0, cursor: 0 };
    const received: Record<Kind, number> = { edit: 0, cursor: 0 };
    let receiversShort = 0;
    for (const receiver of this.#receivers) {
      const got = this.received.get(receiver)!;
      const want = this.#expected.get(receiver)!;
      let short = false;
      for (const kind of KINDS) {
        expected[kind] += want[kind];
        received[kind] += got[kind];
        if (got[kind] < want[kind]) short = true;
      }
      if (short) receiversShort++;
    }
    return {
      sent: { ...this.sent },
      expected,
      received,
      duplicates: this.duplicates,
      unattributed: this.unattributed,
      resets: this.resets,
      sendErrors: this.sendErrors,
      receiversShort,
    };
  }

  encoded(): { latency: string; latencyByKind: Record<Kind, string>; sendLag: string; stages: Record<Stage, string> } {
    return {
      latency: encodeHistogram(this.latency),
      latencyByKind: { edit: encodeHistogram(this.byKind.edit), cursor: encodeHistogram(this.byKind.cursor) },
      sendLag: encodeHistogram(this.sendLag),
      stages: encodeStages(this.stages),
    };
  }

  #bitmap(receiver: number, sender: number, kind: Kind, count: number): Uint8Array {
    const key = (receiver * this.#senders + sender) * 2 + (kind === "edit" ? 0 : 1);
    let seen = this.#seen.get(key);
    if (!seen) {
      seen = new Uint8Array((count >> 3) + 1);
      this.#seen.set(key, seen);
    }
    return seen;
  }
}
