/**
 * Latest-wins throttle for cursor traffic: per key (connection + project + file) at most one emit
 * per interval; moves inside the interval replace each other and the last one is emitted when the
 * interval ends. A fast mouse costs the class one event per interval, and the final position is
 * never dropped.
 */
export class CursorCoalescer<T> {
  readonly #intervalMs: number;
  readonly #slots = new Map<string, { last: number; pending: T | null; timer: ReturnType<typeof setTimeout> | null }>();

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Returns true when `value` was emitted now, false when it was deferred (or replaced a deferred one). */
  offer(key: string, value: T, emit: (value: T) => void, now = Date.now()): boolean {
    let slot = this.#slots.get(key);
    if (!slot) {
      slot = { last: -Infinity, pending: null, timer: null };
      this.#slots.set(key, slot);
    }
    if (now - slot.last >= this.#intervalMs && !slot.timer) {
      slot.last = now;
      emit(value);
      return true;
    }
    slot.pending = value;
    if (!slot.timer) this.#arm(key, slot, Math.max(0, this.#intervalMs - (now - slot.last)), emit);
    return false;
  }

  #arm(key: string, slot: { last: number; pending: T | null; timer: ReturnType<typeof setTimeout> | null }, delayMs: number, emit: (value: T) => void) {
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (slot.pending === null) {
        // A quiet interval: forget the key so the map does not grow with every file ever touched.
        this.#slots.delete(key);
        return;
      }
      const next = slot.pending;
      slot.pending = null;
      slot.last = Date.now();
      emit(next);
      this.#arm(key, slot, this.#intervalMs, emit);
    }, delayMs);
  }

  get size(): number {
    return this.#slots.size;
  }

  close(): void {
    for (const slot of this.#slots.values()) if (slot.timer) clearTimeout(slot.timer);
    this.#slots.clear();
  }
}
