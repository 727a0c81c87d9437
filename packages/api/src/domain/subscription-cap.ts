/**
 * Counts live subscriptions per connection so one connection cannot open thousands (each holds a
 * Redis listener and buffers). Entries go away when a connection's count returns to zero.
 */
export class SubscriptionCap {
  readonly #max: number;
  readonly #counts = new Map<string, number>();

  constructor(maxPerConnection: number) {
    this.#max = maxPerConnection;
  }

  acquire(connectionId: string): boolean {
    const count = this.#counts.get(connectionId) ?? 0;
    if (count >= this.#max) return false;
    this.#counts.set(connectionId, count + 1);
    return true;
  }

  release(connectionId: string): void {
    const count = (this.#counts.get(connectionId) ?? 1) - 1;
    if (count <= 0) this.#counts.delete(connectionId);
    else this.#counts.set(connectionId, count);
  }

  /** Connections holding at least one subscription. */
  get connections(): number {
    return this.#counts.size;
  }
}
