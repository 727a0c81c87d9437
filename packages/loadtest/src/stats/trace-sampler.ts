import { z } from "zod";
import { createRandom, type Random } from "../random.js";

/** One raw event kept for drill-down. Times are epoch ms. */
export const zTraceSample = z.object({
  kind: z.string(),
  client: z.number().int().min(0).optional(),
  seq: z.number().int().min(0).optional(),
  intendedAt: z.number(),
  sentAt: z.number(),
  /** When the ack (or the error) arrived. */
  ackAt: z.number(),
  /** When another client received it, where known. */
  receivedAt: z.number().optional(),
  ok: z.boolean(),
  code: z.string().optional(),
});
export type TraceSample = z.infer<typeof zTraceSample>;

export const MAX_TRACE_SAMPLES = 1000;

export interface TraceSamplerOptions {
  /** @default 1000 */
  size?: number;
  /** @default a fixed seed, so a rerun keeps the same samples */
  random?: Random;
}

/**
 * Keeps a uniform random sample of successes and one of failures (reservoir sampling), and at the
 * end gives errors up to half the room: errors are rare and are what someone will drill into.
 */
export class TraceSampler {
  readonly #size: number;
  readonly #random: Random;
  readonly #ok: Reservoir;
  readonly #failed: Reservoir;

  constructor(options: TraceSamplerOptions = {}) {
    this.#size = options.size ?? MAX_TRACE_SAMPLES;
    if (!Number.isInteger(this.#size) || this.#size < 0) throw new RangeError(`size must be a non-negative integer, got ${this.#size}`);
    this.#random = options.random ?? createRandom(0x5eed);
    this.#ok = new Reservoir(this.#size, this.#random);
    this.#failed = new Reservoir(this.#size, this.#random);
  }

  offer(sample: TraceSample): void {
    (sample.ok ? this.#ok : this.#failed).offer(sample);
  }

  /** At most `size` samples in intended-time order. */
  samples(): TraceSample[] {
    const failed = shuffle([...this.#failed.items], this.#random);
    const ok = shuffle([...this.#ok.items], this.#random);
    const failedTaken = Math.min(failed.length, Math.max(Math.ceil(this.#size / 2), this.#size - ok.length));
    const okTaken = Math.min(ok.length, this.#size - failedTaken);
    return [...failed.slice(0, failedTaken), ...ok.slice(0, okTaken)].sort((a, b) => a.intendedAt - b.intendedAt);
  }
}

class Reservoir {
  readonly items: TraceSample[] = [];
  #seen = 0;

  constructor(
    readonly size: number,
    readonly random: Random,
  ) {}

  offer(sample: TraceSample): void {
    this.#seen++;
    if (this.items.length < this.size) {
      this.items.push(sample);
      return;
    }
    const slot = Math.floor(this.random() * this.#seen);
    if (slot < this.size) this.items[slot] = sample;
  }
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
