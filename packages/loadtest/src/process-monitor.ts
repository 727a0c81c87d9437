import { monitorEventLoopDelay, performance, type IntervalHistogram } from "node:perf_hooks";
import { z } from "zod";

/** The tester's own health; a saturated tester measures itself, not the server. */
export const zProcessStats = z.object({
  /** CPU per sample, % of one core (can exceed 100 with worker threads). */
  cpuPct: z.array(z.number().min(0)),
  /** Event-loop delay p99 per sample, ms. */
  lagP99Ms: z.array(z.number().min(0)),
  /** Event-loop delay p99 over the whole run, ms. */
  overallLagP99Ms: z.number().min(0).optional(),
  saturated: z.boolean(),
  /** Why it counts as saturated, for the admin. */
  reason: z.string().optional(),
});
export type ProcessStats = z.infer<typeof zProcessStats>;

export interface SaturationThresholds {
  /**
   * CPU above this (% of one core) in a sample counts as busy.
   * @default 90
   */
  busyCpuPct?: number;
  /**
   * Saturated when more than this share of samples is busy.
   * @default 0.2
   */
  maxBusyShare?: number;
  /**
   * Saturated when the run's event-loop delay p99 exceeds this: timers fire late, so sends do too.
   * @default 50
   */
  maxLagP99Ms?: number;
}

export const saturationDefaults = { busyCpuPct: 90, maxBusyShare: 0.2, maxLagP99Ms: 50 } as const satisfies Required<SaturationThresholds>;

/** Whether samples show a tester too busy to keep its schedule, and why. */
export function evaluateSaturation(
  { cpuPct, overallLagP99Ms }: { cpuPct: readonly number[]; overallLagP99Ms: number },
  thresholds: SaturationThresholds = {},
): { saturated: boolean; reason?: string } {
  const { busyCpuPct, maxBusyShare, maxLagP99Ms } = { ...saturationDefaults, ...thresholds };
  const reasons: string[] = [];
  const busy = cpuPct.filter((pct) => pct > busyCpuPct).length;
  if (cpuPct.length > 0 && busy / cpuPct.length > maxBusyShare) {
    reasons.push(`CPU above ${busyCpuPct}% of a core in ${busy} of ${cpuPct.length} samples`);
  }
  if (overallLagP99Ms > maxLagP99Ms) {
    reasons.push(`event-loop delay p99 ${overallLagP99Ms.toFixed(1)} ms above ${maxLagP99Ms} ms`);
  }
  return reasons.length > 0 ? { saturated: true, reason: reasons.join("; ") } : { saturated: false };
}

export interface ProcessSample {
  cpuPct: number;
  lagP99Ms: number;
}

export interface ProcessMonitor {
  start(): void;
  /** Stops sampling (taking a last partial sample) and returns the stats. */
  stop(): ProcessStats;
  snapshot(): ProcessStats;
  /** The latest sample, for live progress. */
  latest(): ProcessSample | undefined;
}

export interface ProcessMonitorOptions extends SaturationThresholds {
  /** @default 1_000 */
  sampleIntervalMs?: number;
  /**
   * Resolution of the event-loop delay timer; finer costs more wake-ups.
   * @default 10
   */
  lagResolutionMs?: number;
}

/**
 * Samples this process's CPU (`process.cpuUsage` delta over wall time) and event-loop delay
 * (`monitorEventLoopDelay`) every interval.
 */
export function createProcessMonitor(options: ProcessMonitorOptions = {}): ProcessMonitor {
  const sampleIntervalMs = options.sampleIntervalMs ?? 1_000;
  const lagResolutionMs = options.lagResolutionMs ?? 10;
  const cpuPct: number[] = [];
  const lagP99Ms: number[] = [];
  // One delay monitor per interval (reset each sample) and one for the run: a p99 of per-second
  // p99s is not the run's p99, and Node cannot add one delay histogram into another.
  const interval = monitorEventLoopDelay({ resolution: lagResolutionMs });
  const overall = monitorEventLoopDelay({ resolution: lagResolutionMs });
  // Node records the whole time between its timer's wake-ups; the lag is what exceeds the interval.
  const lagOf = (histogram: IntervalHistogram) =>
    histogram.count > 0 ? round1(Math.max(0, histogram.percentile(99) / 1e6 - lagResolutionMs)) : 0;
  let timer: NodeJS.Timeout | undefined;
  let lastCpu = process.cpuUsage();
  let lastWallMs = performance.now();

  const sample = () => {
    const wallMs = performance.now() - lastWallMs;
    if (wallMs <= 0) return;
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    lastWallMs = performance.now();
    cpuPct.push(round1(((cpu.user + cpu.system) / 1000 / wallMs) * 100));
    lagP99Ms.push(lagOf(interval));
    interval.reset();
  };

  const snapshot = (): ProcessStats => {
    const overallLagP99Ms = lagOf(overall);
    return { cpuPct: [...cpuPct], lagP99Ms: [...lagP99Ms], overallLagP99Ms, ...evaluateSaturation({ cpuPct, overallLagP99Ms }, options) };
  };

  return {
    start() {
      if (timer) return;
      lastCpu = process.cpuUsage();
      lastWallMs = performance.now();
      interval.enable();
      overall.enable();
      timer = setInterval(sample, sampleIntervalMs);
      // Monitoring alone must not keep a finished tester alive.
      timer.unref();
    },
    stop() {
      if (timer) {
        clearInterval(timer);
        timer = undefined;
        sample();
        interval.disable();
        overall.disable();
      }
      return snapshot();
    },
    snapshot,
    latest() {
      const last = cpuPct.length - 1;
      return last < 0 ? undefined : { cpuPct: cpuPct[last] as number, lagP99Ms: lagP99Ms[last] as number };
    },
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
