import { describe, expect, it } from "vitest";
import { estimateClock } from "./time-sync.js";

describe("estimateClock", () => {
  it("recovers a known offset from a symmetric exchange", () => {
    // Server is 500 ms ahead; 10 ms each way.
    const estimate = estimateClock([{ t0: 1000, serverReceive: 1510, serverSend: 1511, t3: 1021 }]);
    expect(estimate.offsetMs).toBe(500);
    expect(estimate.rttMs).toBe(20);
    expect(estimate.uncertaintyMs).toBe(10);
  });

  it("uses the sample with the smallest round trip, not the average", () => {
    const estimate = estimateClock([
      { t0: 0, serverReceive: 600, serverSend: 600, t3: 200 }, // queued: skewed
      { t0: 1000, serverReceive: 1502, serverSend: 1502, t3: 1004 },
      { t0: 2000, serverReceive: 2540, serverSend: 2540, t3: 2100 },
    ]);
    expect(estimate.offsetMs).toBe(500);
    expect(estimate.rttMs).toBe(4);
    expect(estimate.samples).toBe(3);
  });

  it("refuses an empty sample list", () => {
    expect(() => estimateClock([])).toThrow(RangeError);
  });
});
