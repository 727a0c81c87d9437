// Builders for tests only (not exported from the package).
import { createRandom } from "../random.js";
import type { TesterReport } from "../report.js";
import { TesterStats } from "../stats/tester-stats.js";
import type { ProcessMonitor, ProcessStats } from "../process-monitor.js";

/** Log-normal-ish latencies in µs: mostly around `medianUs`, with a long tail. */
export function latencySamplesUs(count: number, { seed, medianUs }: { seed: number; medianUs: number }): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(1, Math.round(medianUs * Math.exp(0.8 * gaussian)));
  });
}

/** A tester report whose `edit` histogram holds exactly these latencies (µs). */
export function reportWithSamples(testerId: string, samplesUs: readonly number[], overrides: Partial<TesterReport> = {}): TesterReport {
  const stats = new TesterStats();
  const startedAt = 1_700_000_000_000;
  samplesUs.forEach((us, i) => {
    const intendedAt = startedAt + i;
    stats.recordSend("edit", intendedAt, intendedAt);
    stats.recordAck("edit", intendedAt, intendedAt + us / 1000);
  });
  const { perSecond, perSecondDropped } = stats.perSecond();
  return {
    testId: 7,
    testerId,
    clients: 10,
    startedAt,
    endedAt: startedAt + 60_000,
    stopReason: "completed",
    histograms: stats.histograms(),
    perSecond,
    perSecondDropped,
    counters: stats.counters(),
    process: idleProcessStats(),
    sampledTraces: [],
    ...overrides,
  };
}

export function idleProcessStats(): ProcessStats {
  return { cpuPct: [5, 6], lagP99Ms: [0.5, 0.4], overallLagP99Ms: 0.5, saturated: false };
}

/** A monitor that measures nothing, for tests that are about something else. */
export function stubMonitor(): ProcessMonitor & { started: boolean; stopped: boolean } {
  const monitor = {
    started: false,
    stopped: false,
    start() {
      monitor.started = true;
    },
    stop() {
      monitor.stopped = true;
      return idleProcessStats();
    },
    snapshot: idleProcessStats,
    latest: () => ({ cpuPct: 5, lagP99Ms: 0.4 }),
  };
  return monitor;
}

/** Nearest-rank percentile of raw samples, the definition HDR histograms follow. */
export function exactPercentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}
