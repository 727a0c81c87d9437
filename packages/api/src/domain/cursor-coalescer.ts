interface Slot<T> {
  /** The latest deferred value, and how to emit it. */
  pending: { value: T; emit: (value: T) => void } | null;
  /** Runs at the end of the interval: emits what is pending, or forgets a quiet key. */
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Latest-wins throttle for cursor traffic: per key (connection + project + file) at most one emit
 * per interval; moves inside the interval replace each other and the last one is emitted when the
 * interval ends. A fast mouse costs the class one event per interval, and the final position is
 * never dropped. A key is forgotten after a quiet interval, so the map does not grow with every
 * file ever touched.
 */
export class CursorCoalescer<T> {
  readonly #intervalMs: number;
  readonly #slots = new Map<string, Slot<T>>();

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /**
   * For a caller that emits by itself: true when an emit is due now for `key` (none within the
   * interval), and the key then counts it as emitted; false changes nothing (`offer` then defers
   * the value as usual).
   */
  takeTurn(key: string): boolean {
    if (this.#slots.has(key)) return false;
    this.#open(key);
    return true;
  }

  /** Returns true when `value` was emitted now, false when it was deferred (or replaced a deferred one). */
  offer(key: string, value: T, emit: (value: T) => void): boolean {
    const slot = this.#slots.get(key);
    if (slot) {
      slot.pending = { value, emit };
      return false;
    }
    this.#open(key);
    emit(value);
    return true;
  }

  /** Counts an emit for `key` now; the interval's end emits what came meanwhile, or forgets the key. */
  #open(key: string): void {
    const slot: Slot<T> = { pending: null, timer: undefined as unknown as ReturnType<typeof setTimeout> };
    this.#slots.set(key, slot);
    this.#arm(key, slot, this.#intervalMs);
  }

  #arm(key: string, slot: Slot<T>, delayMs: number): void {
    slot.timer = setTimeout(() => {
      const next = slot.pending;
      if (next === null) {
        this.#slots.delete(key);
        return;
      }
      slot.pending = null;
      next.emit(next.value);
      this.#arm(key, slot, this.#intervalMs);
    }, delayMs);
  }

  get size(): number {
    return this.#slots.size;
  }

  close(): void {
    for (const slot of this.#slots.values()) clearTimeout(slot.timer);
    this.#slots.clear();
  }
}
