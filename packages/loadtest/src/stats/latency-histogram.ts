import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from "hdr-histogram-js";

export type { Histogram };

/** Latencies are recorded in microseconds: loopback round trips are tens of µs. */
export const LOWEST_LATENCY_US = 1;
/** Anything slower is recorded as 60 s and counted in `overRange`. */
export const HIGHEST_LATENCY_US = 60_000_000;
/** 3 significant digits: values are exact to within 0.1 %. */
export const LATENCY_SIGNIFICANT_DIGITS = 3;

/** An empty latency histogram (µs, 1 µs to 60 s, 3 significant digits). */
export function createLatencyHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: LOWEST_LATENCY_US,
    highestTrackableValue: HIGHEST_LATENCY_US,
    numberOfSignificantValueDigits: LATENCY_SIGNIFICANT_DIGITS,
    // A fixed range keeps every histogram addable to every other; out-of-range values are clamped.
    autoResize: false,
  });
}

/** Compressed base64 (HdrHistogram V2 encoding), readable by any HdrHistogram port. */
export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

export class HistogramDecodeError extends Error {
  override readonly name = "HistogramDecodeError";
}

export function decodeHistogram(base64: string): Histogram {
  try {
    return decodeFromCompressedBase64(base64);
  } catch (cause) {
    throw new HistogramDecodeError(`not an encoded HDR histogram: ${(cause as Error).message}`, { cause });
  }
}

/** Adds encoded histograms into one. Adding counts is the only sound way to combine latencies. */
export function mergeHistograms(encoded: Iterable<string>): Histogram {
  const merged = createLatencyHistogram();
  for (const base64 of encoded) merged.add(decodeHistogram(base64));
  return merged;
}
