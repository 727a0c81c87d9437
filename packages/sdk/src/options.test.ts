import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultRetryDelayMs } from "./options.js";

afterEach(() => vi.restoreAllMocks());

/** The delay of `attempt` with Math.random pinned to `random` (0 lowest jitter, just below 1 highest). */
function delayWith(random: number, attempt: number): number {
  vi.spyOn(Math, "random").mockReturnValue(random);
  const delay = defaultRetryDelayMs(attempt);
  vi.restoreAllMocks();
  return delay;
}

describe("defaultRetryDelayMs", () => {
  it("doubles with each attempt from 250 ms (no jitter at the middle of the range)", () => {
    expect([0, 1, 2, 3, 4, 5].map((attempt) => delayWith(0.5, attempt))).toEqual([250, 500, 1000, 2000, 4000, 8000]);
  });

  it("stops growing at 10 s, however many attempts failed", () => {
    for (const attempt of [6, 10, 50, 1000]) expect(delayWith(0.5, attempt)).toBe(10_000);
  });

  it("jitters by at most ±20 % of the backoff, so a class reconnecting together spreads out", () => {
    expect(delayWith(0, 2)).toBe(800);
    expect(delayWith(0.999999, 2)).toBe(1200);
    expect(delayWith(0, 40)).toBe(8_000);
    expect(delayWith(0.999999, 40)).toBe(12_000);
    for (let attempt = 0; attempt < 12; attempt++) {
      const base = Math.min(250 * 2 ** attempt, 10_000);
      const delays = Array.from({ length: 200 }, () => defaultRetryDelayMs(attempt));
      for (const delay of delays) {
        expect(delay).toBeGreaterThanOrEqual(base * 0.8);
        expect(delay).toBeLessThanOrEqual(base * 1.2);
      }
      // Actually random: two hundred draws do not all land on one value.
      expect(new Set(delays).size).toBeGreaterThan(1);
    }
  });
});
