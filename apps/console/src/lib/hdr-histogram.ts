// Reads HdrHistogram's compressed V2 encoding (what loadtest.results returns, base64), so the
// console can draw the merged histograms' distribution and full percentile spectrum in the
// browser without an HDR library. Percentiles follow HdrHistogram's getValueAtPercentile exactly
// (same rank rounding, highest equivalent value), so they match the server's tables.

const V2_ENCODING_COOKIE_BASE = 0x1c849303;
const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;

export interface HdrHistogram {
  totalCount: number;
  /** Non-empty buckets in ascending order: values [low, high] (in the histogram's unit). */
  buckets: { low: number; high: number; count: number }[];
  minValue: number;
  maxValue: number;
  significantDigits: number;
}

export class HdrDecodeError extends Error {
  override readonly name = "HdrDecodeError";
}

export async function decodeHdrBase64(base64: string): Promise<HdrHistogram> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  if (bytes.length < 8 || (view.getInt32(0) & ~0xf0) !== V2_COMPRESSED_COOKIE_BASE) throw new HdrDecodeError("not a compressed V2 HDR histogram");
  const length = view.getInt32(4);
  const raw = await inflate(bytes.subarray(8, 8 + length));
  return decodeV2(raw);
}

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function decodeV2(data: Uint8Array): HdrHistogram {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if ((view.getInt32(0) & ~0xf0) !== V2_ENCODING_COOKIE_BASE) throw new HdrDecodeError("not a V2 HDR encoding");
  const payloadLength = view.getInt32(4);
  const significantDigits = view.getInt32(12);
  const lowestDiscernible = Number(view.getBigInt64(16));
  const unitMagnitude = Math.floor(Math.log2(lowestDiscernible));
  const subBucketCountMagnitude = Math.ceil(Math.log2(2 * Math.floor(10 ** significantDigits)));
  const subBucketHalfCountMagnitude = (subBucketCountMagnitude > 1 ? subBucketCountMagnitude : 1) - 1;
  const subBucketHalfCount = 2 ** subBucketHalfCountMagnitude;

  const valueAt = (index: number) => {
    let bucketIndex = Math.floor(index / subBucketHalfCount) - 1;
    let subBucketIndex = (index % subBucketHalfCount) + subBucketHalfCount;
    if (bucketIndex < 0) {
      subBucketIndex -= subBucketHalfCount;
      bucketIndex = 0;
    }
    const low = subBucketIndex * 2 ** (bucketIndex + unitMagnitude);
    return { low, high: low + 2 ** (unitMagnitude + bucketIndex) - 1 };
  };

  const buckets: HdrHistogram["buckets"] = [];
  let position = 40;
  const end = position + payloadLength;
  let index = 0;
  let totalCount = 0;
  while (position < end) {
    // ZigZag LEB128 (up to 9 bytes); arithmetic instead of bit ops to stay exact past 2^31.
    let value = 0;
    let factor = 1;
    for (let i = 0; i < 9; i++) {
      const byte = data[position++];
      if (byte === undefined) throw new HdrDecodeError("truncated HDR payload");
      value += (i === 8 ? byte : byte & 0x7f) * factor;
      if (i === 8 || (byte & 0x80) === 0) break;
      factor *= 128;
    }
    const count = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (count < 0) {
      index += -count;
      continue;
    }
    if (count > 0) {
      buckets.push({ ...valueAt(index), count });
      totalCount += count;
    }
    index++;
  }
  return {
    totalCount,
    buckets,
    minValue: buckets[0]?.low ?? 0,
    maxValue: buckets.at(-1)?.high ?? 0,
    significantDigits,
  };
}

/** Value at a percentile, as HdrHistogram computes it (highest equivalent value of the bucket). */
export function valueAtPercentile(histogram: HdrHistogram, percentile: number): number {
  if (histogram.totalCount === 0) return 0;
  const requested = Math.min(percentile, 100);
  const fp = (requested / 100) * histogram.totalCount;
  const countAt = Math.max(Math.ceil(fp - ulp(fp)), 1);
  let seen = 0;
  for (const bucket of histogram.buckets) {
    seen += bucket.count;
    if (seen >= countAt) return percentile === 0 ? bucket.low : bucket.high;
  }
  return histogram.maxValue;
}

function ulp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  return 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);
}

/** Percentiles of a percentile-spectrum plot: denser towards the tail, where latency lives. */
export const SPECTRUM_PERCENTILES: readonly number[] = [
  0, 10, 20, 30, 40, 50, 55, 60, 65, 70, 75, 80, 85, 87.5, 90, 92.5, 95, 96, 97, 97.5, 98, 98.5, 99, 99.25, 99.5, 99.75, 99.9, 99.95, 99.99,
  99.995, 99.999, 100,
];

/** [percentile, value] pairs for the spectrum chart. */
export function percentileSpectrum(histogram: HdrHistogram, at: readonly number[] = SPECTRUM_PERCENTILES): [number, number][] {
  return at.map((p) => [p, valueAtPercentile(histogram, p)]);
}

/**
 * Counts per value range with log-spaced edges, for a latency histogram chart (HDR buckets are
 * too fine to plot one bar each). Edges come out in the histogram's unit.
 */
export function logBins(histogram: HdrHistogram, binCount = 40): { low: number; high: number; count: number }[] {
  if (histogram.totalCount === 0) return [];
  const min = Math.max(histogram.minValue, 1);
  const max = Math.max(histogram.maxValue + 1, min * 1.0001);
  const ratio = (max / min) ** (1 / binCount);
  const bins = Array.from({ length: binCount }, (_, i) => ({ low: min * ratio ** i, high: min * ratio ** (i + 1), count: 0 }));
  for (const bucket of histogram.buckets) {
    const middle = Math.max((bucket.low + bucket.high) / 2, min);
    const i = Math.min(binCount - 1, Math.max(0, Math.floor(Math.log(middle / min) / Math.log(ratio))));
    (bins[i] as { count: number }).count += bucket.count;
  }
  return bins;
}
