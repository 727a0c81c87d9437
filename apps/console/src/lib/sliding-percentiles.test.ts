import { describe, expect, it } from "vitest";
import { nearestRank, SlidingPercentiles } from "./sliding-percentiles.js";

describe("nearestRank", () => {
  it("takes the value at the rank of a sorted list, never an average", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(sorted, 50)).toBe(5);
    expect(nearestRank(sorted, 90)).toBe(9);
    expect(nearestRank(sorted, 99)).toBe(10);
    expect(nearestRank(sorted, 100)).toBe(10);
    expect(nearestRank(sorted, 0)).toBe(1);
    expect(nearestRank([], 50)).toBeNaN();
  });
});

describe("SlidingPercentiles", () => {
  it("sorts what arrived out of order (the bug of the old system)", () => {
    const window = new SlidingPercentiles(1_000);
    for (const [i, v] of [90, 10, 50, 30, 70, 20, 80, 40, 60, 100].entries()) window.add(v, i);
    expect(window.read(10, [50, 90, 100])).toEqual({ count: 10, values: [50, 90, 100] });
  });

  it("forgets samples older than the window", () => {
    const window = new SlidingPercentiles(1_000);
    window.add(500, 0);
    window.add(5, 900);
    expect(window.read(1_500, [100])).toEqual({ count: 1, values: [5] });
    expect(window.read(3_000, [50]).count).toBe(0);
  });

  it("keeps at most maxSamples and counts the ones it dropped", () => {
    const window = new SlidingPercentiles(60_000, 3);
    for (let i = 0; i < 5; i++) window.add(i, i);
    expect(window.read(10, [0, 100])).toEqual({ count: 3, values: [2, 4] });
    expect(window.dropped).toBe(2);
  });
});
