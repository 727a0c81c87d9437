import { describe, expect, it } from "vitest";
import { decodeHistogram, HIGHEST_LATENCY_US } from "./latency-histogram.js";
import { percentiles } from "./percentiles.js";
import { deliveryKey, TesterStats } from "./tester-stats.js";

const T0 = 1_700_000_000_000; // a whole second

describe("TesterStats", () => {
  it("records latency in µs from the intended time, per key, for the run and per arrival second", () => {
    const stats = new TesterStats();
    stats.recordLatency("edit", T0 + 100, T0 + 101.5); // 1.5 ms
    stats.recordLatency("edit", T0 + 900, T0 + 1_250); // 350 ms, arrives in the next second
    stats.recordLatency(deliveryKey("edit"), T0 + 100, T0 + 104);
    const whole = decodeHistogram(stats.histograms().edit as string);
    expect(whole.totalCount).toBe(2);
    expect(whole.minNonZeroValue).toBe(1_500);
    expect(percentiles(whole, [100])[0]).toBeGreaterThanOrEqual(350_000);
    const { perSecond } = stats.perSecond();
    expect(Object.keys(perSecond)).toEqual([String(T0 / 1000), String(T0 / 1000 + 1)]);
    expect(decodeHistogram(perSecond[String(T0 / 1000)]?.edit as string).totalCount).toBe(1);
    expect(Object.keys(stats.histograms())).toEqual(["edit", "edit.delivery"]);
  });

  it("clamps and counts negative and over-range latencies instead of throwing", () => {
    const stats = new TesterStats();
    stats.recordLatency("cursor", T0, T0 - 2);
    stats.recordLatency("cursor", T0, T0 + 120_000);
    const counters = stats.counters();
    expect(counters.negativeLatencies).toBe(1);
    expect(counters.overRange).toBe(1);
    expect(decodeHistogram(stats.histograms().cursor as string).maxValue).toBeGreaterThanOrEqual(HIGHEST_LATENCY_US);
  });

  it("counts sends, late sends, acks and errors by code and kind", () => {
    const stats = new TesterStats({ lateSendThresholdMs: 5 });
    stats.recordSend("save", T0, T0 + 1);
    stats.recordSend("save", T0, T0 + 40);
    stats.recordAck("save", T0, T0 + 50);
    stats.recordError("save", "CONFLICT");
    stats.recordCancelled();
    stats.recordDelivery({ delivered: 5, lost: 1, duplicates: 2, outOfOrder: 3 });
    expect(stats.counters()).toMatchObject({
      sent: 2,
      acked: 1,
      lateSends: 1,
      maxScheduleLagMs: 40,
      errors: { CONFLICT: 1 },
      cancelled: 1,
      delivered: 5,
      lost: 1,
      duplicates: 2,
      outOfOrder: 3,
      byKind: { save: { sent: 2, acked: 1, errors: 1 } },
    });
  });

  it("closes finished seconds, frees them, and adds a straggler to the second it belongs to", () => {
    const stats = new TesterStats();
    const s0 = T0 / 1000;
    stats.recordLatency("edit", T0, T0 + 10);
    stats.recordLatency("edit", T0, T0 + 1_010);
    const closed = stats.closeSecondsBefore(s0 + 1);
    expect(closed.map((c) => c.second)).toEqual([s0]);
    expect(stats.closeSecondsBefore(s0 + 1)).toEqual([]);
    stats.recordLatency("edit", T0, T0 + 20); // late result for second s0
    stats.recordLatency("open", T0, T0 + 30);
    const again = stats.closeSecondsBefore(s0 + 1);
    expect(again).toHaveLength(1);
    expect(decodeHistogram(again[0]?.histograms.edit as string).totalCount).toBe(2);
    expect(decodeHistogram(again[0]?.histograms.open as string).totalCount).toBe(1);
    const { perSecond } = stats.perSecond();
    expect(decodeHistogram(perSecond[String(s0)]?.edit as string).totalCount).toBe(2);
    expect(decodeHistogram(perSecond[String(s0 + 1)]?.edit as string).totalCount).toBe(1);
  });

  it("caps the seconds kept and counts the dropped ones", () => {
    const stats = new TesterStats({ perSecondLimit: 2 });
    for (let s = 0; s < 5; s++) stats.recordLatency("list", T0, T0 + s * 1_000 + 1);
    const { perSecond, perSecondDropped } = stats.perSecond();
    expect(Object.keys(perSecond)).toHaveLength(2);
    expect(perSecondDropped).toBe(3);
    expect(decodeHistogram(stats.histograms().list as string).totalCount).toBe(5);
  });
});
