/** A binary min-heap ordered by `before`; enough for merging per-client schedules. */
export class MinHeap<T> {
  readonly #items: T[] = [];
  readonly #before: (a: T, b: T) => boolean;

  constructor(before: (a: T, b: T) => boolean) {
    this.#before = before;
  }

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(this.#at(i), this.#at(parent))) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    if (items.length === 0) return undefined;
    const top = this.#at(0);
    const last = items.pop() as T;
    if (items.length === 0) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let min = i;
      if (left < items.length && this.#before(this.#at(left), this.#at(min))) min = left;
      if (right < items.length && this.#before(this.#at(right), this.#at(min))) min = right;
      if (min === i) return top;
      this.#swap(i, min);
      i = min;
    }
  }

  #at(i: number): T {
    return this.#items[i] as T;
  }

  #swap(i: number, j: number): void {
    const a = this.#at(i);
    this.#items[i] = this.#at(j);
    this.#items[j] = a;
  }
}
