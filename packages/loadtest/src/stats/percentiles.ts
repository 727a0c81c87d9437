import type { Histogram } from "hdr-histogram-js";

/** The percentiles every table and chart shows; 100 is the maximum. */
export const DEFAULT_PERCENTILES: readonly number[] = [50, 90, 99, 99.9, 100];

/**
 * Values at the given percentiles, in the histogram's unit (µs for latency histograms), in the
 * order asked. Always from one (merged) histogram: a percentile of percentiles means nothing.
 * An empty histogram gives 0 for every percentile.
 */
export function percentiles(histogram: Histogram, at: readonly number[] = DEFAULT_PERCENTILES): number[] {
  return at.map((p) => {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
    return histogram.getValueAtPercentile(p);
  });
}
