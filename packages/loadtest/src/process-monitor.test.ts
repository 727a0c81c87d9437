import { describe, expect, it } from "vitest";
import { createProcessMonitor, evaluateSaturation } from "./process-monitor.js";

const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin: this is the load being measured
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("evaluateSaturation", () => {
  it("is saturated when more than 20 % of samples are above 90 % CPU", () => {
    expect(evaluateSaturation({ cpuPct: [95, 10, 10, 10, 10], overallLagP99Ms: 1 }).saturated).toBe(false); // exactly 20 %
    const verdict = evaluateSaturation({ cpuPct: [95, 96, 10, 10, 10], overallLagP99Ms: 1 });
    expect(verdict).toEqual({ saturated: true, reason: expect.stringMatching(/CPU above 90% .* 2 of 5 samples/) });
  });

  it("is saturated when the event-loop delay p99 exceeds 50 ms", () => {
    expect(evaluateSaturation({ cpuPct: [10], overallLagP99Ms: 50 }).saturated).toBe(false);
    expect(evaluateSaturation({ cpuPct: [10], overallLagP99Ms: 51 }).reason).toMatch(/p99 51.0 ms above 50 ms/);
    expect(evaluateSaturation({ cpuPct: [10], overallLagP99Ms: 20 }, { maxLagP99Ms: 10 }).saturated).toBe(true);
  });

  it("is not saturated with no samples", () => {
    expect(evaluateSaturation({ cpuPct: [], overallLagP99Ms: 0 })).toEqual({ saturated: false });
  });
});

describe("createProcessMonitor", () => {
  it("sees an idle process as idle", async () => {
    const monitor = createProcessMonitor({ sampleIntervalMs: 50 });
    monitor.start();
    await sleep(230);
    const stats = monitor.stop();
    expect(stats.cpuPct.length).toBeGreaterThanOrEqual(4);
    expect(stats.lagP99Ms).toHaveLength(stats.cpuPct.length);
    expect(stats.saturated).toBe(false);
    expect(monitor.latest()).toEqual({ cpuPct: stats.cpuPct.at(-1), lagP99Ms: stats.lagP99Ms.at(-1) });
  });

  it("sees a blocked event loop and a busy CPU as saturated", async () => {
    const monitor = createProcessMonitor({ sampleIntervalMs: 100 });
    monitor.start();
    for (let i = 0; i < 4; i++) {
      busyFor(120);
      await sleep(5);
    }
    const stats = monitor.stop();
    expect(Math.max(...stats.cpuPct)).toBeGreaterThan(50);
    expect(stats.overallLagP99Ms).toBeGreaterThan(50);
    expect(stats.saturated).toBe(true);
    expect(stats.reason).toMatch(/event-loop delay/);
  });
});
