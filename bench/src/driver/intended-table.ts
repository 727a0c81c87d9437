import { createSchedule, EVENT_KINDS, type EventKind } from "@cohort/loadtest";
import { KINDS, type ClientSpec, type Kind, type TrafficSpec } from "./protocol.js";

/** One event a sender owes: its per-kind sequence number and intended send time. */
export interface PlannedSend {
  sender: number;
  kind: Kind;
  kseq: number;
  intendedAt: number;
}

/**
 * The whole run's intended send times, regenerated identically in every driver from the seed, so a
 * receiver can time a message that was merged into another (Cohort's live documents push queued
 * updates together) and knows how many messages to expect.
 */
export class IntendedTable {
  /** times[sender][kind] = intended send times by per-kind sequence number. */
  readonly #times: Record<Kind, Float64Array>[] = [];

  constructor(clients: readonly ClientSpec[], traffic: TrafficSpec, startAt: number) {
    const schedule = createSchedule({
      clients: clients.length,
      ratePerClient: traffic.ratePerClient,
      weights: toEventWeights(traffic.weights),
      startAt,
      durationMs: traffic.durationMs,
      seed: traffic.seed,
      arrival: traffic.arrival,
    });
    for (const client of clients) {
      const lists: Record<Kind, number[]> = { edit: [], cursor: [] };
      if (client.send) {
        for (const event of schedule.forClient(client.index)) lists[event.kind === "cursor" ? "cursor" : "edit"].push(event.intendedAt);
      }
      this.#times[client.index] = { edit: Float64Array.from(lists.edit), cursor: Float64Array.from(lists.cursor) };
    }
  }

  count(sender: number, kind: Kind): number {
    return this.#times[sender]?.[kind].length ?? 0;
  }

  intendedAt(sender: number, kind: Kind, kseq: number): number | undefined {
    const times = this.#times[sender]?.[kind];
    return times && kseq >= 0 && kseq < times.length ? times[kseq] : undefined;
  }

  /** Every send of the given senders, in time order. */
  plan(senders: readonly number[]): PlannedSend[] {
    const plan: PlannedSend[] = [];
    for (const sender of senders) {
      for (const kind of KINDS) {
        const times = this.#times[sender]?.[kind];
        if (times) times.forEach((intendedAt, kseq) => plan.push({ sender, kind, kseq, intendedAt }));
      }
    }
    return plan.sort((a, b) => a.intendedAt - b.intendedAt || a.sender - b.sender);
  }
}

/** The loadtest schedule knows more kinds; the bench uses two. */
function toEventWeights(weights: Record<Kind, number>): Record<EventKind, number> {
  const all = Object.fromEntries(EVENT_KINDS.map((kind) => [kind, 0])) as Record<EventKind, number>;
  return { ...all, edit: weights.edit, cursor: weights.cursor };
}

/** How many messages each receiver should get, per kind: everything sent to a room it watches, except its own. */
export function expectedPerReceiver(clients: readonly ClientSpec[], table: IntendedTable): Map<number, Record<Kind, number>> {
  const byRoom = new Map<string, number[]>();
  for (const client of clients) {
    if (!client.send) continue;
    const senders = byRoom.get(client.send.room) ?? [];
    senders.push(client.index);
    byRoom.set(client.send.room, senders);
  }
  const expected = new Map<number, Record<Kind, number>>();
  for (const client of clients) {
    const counts: Record<Kind, number> = { edit: 0, cursor: 0 };
    for (const room of new Set(client.watch)) {
      for (const sender of byRoom.get(room) ?? []) {
        if (sender === client.index) continue;
        counts.edit += table.count(sender, "edit");
        counts.cursor += table.count(sender, "cursor");
      }
    }
    expected.set(client.index, counts);
  }
  return expected;
}
