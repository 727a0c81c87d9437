import { describe, expect, it } from "vitest";
import { linearSlope } from "./linear-slope.js";

describe("linearSlope", () => {
  it("is the least-squares slope: exact on a line, the trend through noise", () => {
    expect(linearSlope([[0, 1], [1, 3], [2, 5]])).toBeCloseTo(2);
    // y = 0.5x ± 1 alternating: the noise cancels, the trend stays.
    const noisy = Array.from({ length: 20 }, (_, x) => [x, 0.5 * x + (x % 2 === 0 ? 1 : -1)] as const);
    expect(linearSlope(noisy)).toBeCloseTo(0.5, 1);
    expect(linearSlope([[0, 10], [1, 7]])).toBeCloseTo(-3);
  });

  it("refuses to read a trend from too few points or a single x", () => {
    expect(() => linearSlope([])).toThrow(RangeError);
    expect(() => linearSlope([[1, 5]])).toThrow(/at least 2 points, got 1/);
    expect(() => linearSlope([[3, 1], [3, 9]])).toThrow(/distinct x/);
  });
});
