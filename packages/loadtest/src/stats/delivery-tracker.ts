/** How one receipt was classified. */
export type DeliveryOutcome = "delivered" | "duplicate" | "out-of-order";

export interface DeliverySummary {
  /** Unique (sender, seq) pairs received, in or out of order. */
  delivered: number;
  /** Receipts of a pair already received. */
  duplicates: number;
  /** First receipts of a seq lower than one already received from that sender. */
  outOfOrder: number;
  /** Pairs sent but never received. */
  lost: number;
  /** Unique pairs received that were not in what was sent (e.g. a send that failed yet went out). */
  unexpected: number;
}

/**
 * What was sent per sender: a count `n` (seqs 0..n-1) or the exact seqs, e.g. only the acked ones,
 * since a failed send was never owed to anyone.
 */
export type SentBySender = ReadonlyMap<string, number | Iterable<number>>;

/**
 * Tracks what one receiver got from each sender. Give each receiving client its own tracker, or
 * prefix sender ids with the receiver's, so that one recipient's copy does not hide another's loss.
 */
export class DeliveryTracker {
  readonly #seen = new Map<string, { seqs: Set<number>; highest: number }>();
  #duplicates = 0;
  #outOfOrder = 0;

  receive(senderId: string, seq: number): DeliveryOutcome {
    let sender = this.#seen.get(senderId);
    if (!sender) {
      sender = { seqs: new Set(), highest: -Infinity };
      this.#seen.set(senderId, sender);
    }
    if (sender.seqs.has(seq)) {
      this.#duplicates++;
      return "duplicate";
    }
    sender.seqs.add(seq);
    if (seq < sender.highest) {
      this.#outOfOrder++;
      return "out-of-order";
    }
    sender.highest = seq;
    return "delivered";
  }

  /** Counts against what was sent; call once receiving has ended. */
  summarize(sent: SentBySender): DeliverySummary {
    let delivered = 0;
    let lost = 0;
    let expectedReceived = 0;
    for (const sender of this.#seen.values()) delivered += sender.seqs.size;
    for (const [senderId, what] of sent) {
      const seqs = this.#seen.get(senderId)?.seqs;
      // A Set, so that a seq listed twice is not owed twice.
      for (const seq of typeof what === "number" ? range(what) : new Set(what)) {
        if (seqs?.has(seq)) expectedReceived++;
        else lost++;
      }
    }
    return { delivered, duplicates: this.#duplicates, outOfOrder: this.#outOfOrder, lost, unexpected: delivered - expectedReceived };
  }
}

function* range(count: number): Generator<number> {
  for (let i = 0; i < count; i++) yield i;
}
