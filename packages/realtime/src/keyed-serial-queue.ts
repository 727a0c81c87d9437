/**
 * Runs tasks one at a time per key, in call order. Presence uses it per lesson so that a
 * heartbeat (which re-adds this instance's connections) can never reach Redis after a `leave`
 * that was called later: EVALSHA's NOSCRIPT retry would otherwise be free to reorder them.
 */
export class KeyedSerialQueue<K> {
  readonly #tails = new Map<K, Promise<unknown>>();

  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    // Forget idle keys so the map does not grow with every lesson ever seen.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  get size(): number {
    return this.#tails.size;
  }
}
