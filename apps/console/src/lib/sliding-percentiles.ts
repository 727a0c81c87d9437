/**
 * Exact percentiles of the samples seen in the last `windowMs`, by nearest rank over a sorted copy.
 * A live view keeps a few thousand samples at most, so sorting on each read is cheap and nothing
 * is approximated, averaged or bucketed. Capped at `maxSamples` (oldest dropped) so a burst cannot
 * grow memory; the cap is reported so the UI can say the window was cut.
 */
export class SlidingPercentiles {
  private readonly times: number[] = [];
  private readonly values: number[] = [];
  private head = 0;
  dropped = 0;

  constructor(
    private readonly windowMs: number,
    private readonly maxSamples = 10_000,
  ) {}

  add(value: number, at: number): void {
    this.times.push(at);
    this.values.push(value);
    if (this.times.length - this.head > this.maxSamples) {
      this.head++;
      this.dropped++;
    }
    this.compact();
  }

  /** Values at the given percentiles (0–100) of the samples newer than `now - windowMs`. */
  read(now: number, at: readonly number[]): { count: number; values: number[] } {
    this.evict(now);
    const sorted = this.values.slice(this.head).sort((a, b) => a - b);
    return { count: sorted.length, values: at.map((p) => nearestRank(sorted, p)) };
  }

  private evict(now: number) {
    const oldest = now - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head] as number) < oldest) this.head++;
    this.compact();
  }

  private compact() {
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.values.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** The nearest-rank percentile of ascending values; NaN when empty. */
export function nearestRank(sorted: readonly number[], percentile: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (percentile <= 0) return sorted[0] as number;
  const rank = Math.ceil((percentile / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}
