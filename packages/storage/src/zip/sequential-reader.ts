import type { Readable } from "node:stream";

/**
 * Reads a stream front to back in exact amounts (a zip's entries, one after another), holding no
 * more than the chunk in hand and the bytes asked for.
 */
export class SequentialReader {
  readonly #chunks: AsyncIterator<Buffer>;
  #pending: Buffer = Buffer.alloc(0);
  #position: number;

  /** `position`: the offset in the archive of the stream's first byte. */
  constructor(
    private readonly stream: Readable,
    position: number,
  ) {
    this.#chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.#position = position;
  }

  get position(): number {
    return this.#position;
  }

  /** Skips forward to `offset`; the stream cannot go back. */
  async skipTo(offset: number): Promise<void> {
    if (offset < this.#position) throw new RangeError(`offset ${offset} is behind the reader (${this.#position})`);
    let skip = offset - this.#position;
    while (skip > 0) {
      if (this.#pending.length === 0 && !(await this.#fill())) throw new RangeError("the stream ended early");
      const dropped = Math.min(skip, this.#pending.length);
      this.#pending = this.#pending.subarray(dropped);
      this.#position += dropped;
      skip -= dropped;
    }
  }

  /** The next `length` bytes, copied (they outlive the chunks they came from). */
  async take(length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      if (this.#pending.length === 0 && !(await this.#fill())) throw new RangeError("the stream ended early");
      const copied = this.#pending.copy(out, filled, 0, Math.min(length - filled, this.#pending.length));
      this.#pending = this.#pending.subarray(copied);
      filled += copied;
    }
    this.#position += length;
    return out;
  }

  /** Stops reading (and the download behind it). */
  close(): void {
    this.stream.destroy();
  }

  async #fill(): Promise<boolean> {
    const next = await this.#chunks.next();
    if (next.done) return false;
    this.#pending = next.value;
    return true;
  }
}
