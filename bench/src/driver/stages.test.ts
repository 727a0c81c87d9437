import { describe, expect, it } from "vitest";
import { decodeHistogram } from "@cohort/loadtest";
import { createStageHistograms, encodeStages, mapStages, recordStages, STAGES, traceStages } from "./stages.js";

describe("traceStages", () => {
  it("splits receive − t0 into the four stages, in ms", () => {
    const stages = traceStages({ t0: 999.25, t1: 1_000, t2: 1_002, t3: 1_005 }, 1_006.5);
    expect(stages).toEqual({ client: 0.75, toServer: 2, server: 3, toReceiver: 1.5 });
  });

  it("adds up to the event's latency", () => {
    const trace = { t0: 10_000.4, t1: 10_003, t2: 10_004, t3: 10_009 };
    const stages = traceStages(trace, 10_012.125)!;
    expect(stages.client + stages.toServer + stages.server + stages.toReceiver).toBeCloseTo(10_012.125 - trace.t0, 9);
  });

  it("clamps at 0 what whole-ms stamps make negative", () => {
    // t1 is Date.now() (floored) while t0 is fractional: t1 can read below t0; the server's ms can too.
    expect(traceStages({ t0: 1_000.6, t1: 1_000, t2: 999, t3: 999 }, 998.9)).toEqual({ client: 0, toServer: 0, server: 0, toReceiver: 0 });
  });

  it("is undefined for an event not stamped on emit", () => {
    expect(traceStages({ t0: 1, t1: 2, t2: 3 }, 4)).toBeUndefined();
  });

  it("takes t1 as the intended time when t0 is missing, as the marker does", () => {
    expect(traceStages({ t1: 50, t2: 52, t3: 53 }, 55)).toEqual({ client: 0, toServer: 2, server: 1, toReceiver: 2 });
  });
});

describe("stage histograms", () => {
  // Below 2,048 µs an HDR histogram of 3 significant digits holds values exactly.
  it("record each stage in µs, 0 included, and survive encoding", () => {
    const histograms = createStageHistograms();
    recordStages(histograms, { client: 0, toServer: 1, server: 1.5, toReceiver: 0.0004 });
    recordStages(histograms, { client: 0, toServer: 2, server: 0, toReceiver: 1.25 });
    const encoded = encodeStages(histograms);
    const decoded = mapStages((stage) => decodeHistogram(encoded[stage]));
    for (const stage of STAGES) expect(decoded[stage].totalCount).toBe(2);
    expect(decoded.client.maxValue).toBe(0);
    expect(decoded.toServer.minNonZeroValue).toBe(1_000);
    expect(decoded.server.maxValue).toBe(1_500);
    expect(decoded.toReceiver.getValueAtPercentile(50)).toBe(0);
    expect(decoded.toReceiver.maxValue).toBe(1_250);
  });
});
