import { evaluateSaturation, type TesterReport } from "@cohort/loadtest";

/**
 * Whether a tester was too busy to keep its schedule: its own verdict, or its CPU and event-loop
 * figures judged again against the default thresholds. The run's validity then does not rest on
 * the tester alone: one built with other thresholds, or an older build, cannot pass off a
 * saturated run as valid.
 */
export function saturationOf(report: TesterReport): { saturated: boolean; reason: string | null } {
  const { process } = report;
  if (process.saturated) return { saturated: true, reason: process.reason ?? null };
  // Reports without the whole-run figure: the worst per-sample p99 stands in for it.
  const overallLagP99Ms = process.overallLagP99Ms ?? Math.max(0, ...process.lagP99Ms);
  const verdict = evaluateSaturation({ cpuPct: process.cpuPct, overallLagP99Ms });
  return { saturated: verdict.saturated, reason: verdict.reason ?? null };
}
