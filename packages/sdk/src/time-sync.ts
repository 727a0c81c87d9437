export interface TimeSample {
  /** Client send time. */
  t0: number;
  serverReceive: number;
  serverSend: number;
  /** Client receive time. */
  t3: number;
}

export interface ClockEstimate {
  /** Add to the local clock to get the server's clock, in ms. */
  offsetMs: number;
  /** Round trip of the sample used. */
  rttMs: number;
  /** Half the round trip: the true offset lies within ±this of `offsetMs`. */
  uncertaintyMs: number;
  samples: number;
}

/**
 * NTP offset estimate from the sample with the smallest round trip: queueing delay only ever adds
 * to a round trip, so the fastest sample is the least distorted one.
 */
export function estimateClock(samples: readonly TimeSample[]): ClockEstimate {
  if (samples.length === 0) throw new RangeError("estimateClock needs at least one sample");
  let best: { offset: number; rtt: number } | null = null;
  for (const s of samples) {
    const rtt = s.t3 - s.t0 - (s.serverSend - s.serverReceive);
    const offset = (s.serverReceive - s.t0 + (s.serverSend - s.t3)) / 2;
    if (!best || rtt < best.rtt) best = { offset, rtt };
  }
  const chosen = best as { offset: number; rtt: number };
  return { offsetMs: chosen.offset, rttMs: chosen.rtt, uncertaintyMs: Math.max(chosen.rtt, 0) / 2, samples: samples.length };
}
