import type { SystemName } from "../driver/protocol.js";
import type { MicroResult } from "../micro/storage-micro.js";
import type { RunResult } from "../scenarios/run-result.js";
import type { TargetCheck } from "./bench-results.js";

/** Issue 7's targets for Cohort (and issues 3/4's benchmark targets), checked against this run. */
export function checkTargets(
  runs: readonly RunResult[],
  saturation: Partial<Record<SystemName, { deliveriesPerSec: number }>>,
  micro: readonly MicroResult[],
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const cohort = (scenario: string) => runs.find((r) => r.system === "cohort" && r.scenario === scenario);
  const latency = (scenario: string, p99Ms: number, zeroLoss: boolean) => {
    const run = cohort(scenario);
    const target = `${scenario}: p99 ≤ ${p99Ms} ms${zeroLoss ? ", 0 loss" : ""}`;
    if (!run) return checks.push({ target, actual: "not run", met: "n/a" });
    const met = run.latency.p99 <= p99Ms && (!zeroLoss || run.loss === 0) && run.valid;
    checks.push({ target, actual: `p99 ${run.latency.p99} ms, loss ${run.loss}${run.valid ? "" : " (invalid run)"}`, met });
  };
  latency("fanout-50", 5, true);
  latency("fanout-100", 10, false);
  latency("fanout-200", 20, true);

  const reached = (system: SystemName) => saturation[system]?.deliveriesPerSec;
  const own = reached("cohort");
  if (own === undefined) checks.push({ target: "saturation: ≥ 50,000 deliveries/s, ≥ 0.5 × ws, > Socket.IO and Hocuspocus", actual: "not run", met: "n/a" });
  else {
    const ws = reached("ws");
    const others = (["socketio", "hocuspocus"] as const).map((s) => reached(s)).filter((v): v is number => v !== undefined);
    const parts = [`${own.toLocaleString("en")}/s`];
    if (ws !== undefined) parts.push(`${(own / Math.max(1, ws)).toFixed(2)} × ws`);
    const met = own >= 50_000 && (ws === undefined || own >= 0.5 * ws) && others.every((v) => own > v);
    checks.push({ target: "saturation: ≥ 50,000 deliveries/s, ≥ 0.5 × ws, > Socket.IO and Hocuspocus", actual: parts.join(", "), met });
  }

  const classroom = cohort("classroom");
  checks.push(
    classroom
      ? {
          target: "classroom: p99 ≤ 5 ms, server CPU ≤ 35 % of a core",
          actual: `p99 ${classroom.latency.p99} ms, CPU ${classroom.server.cpuPct} %`,
          met: classroom.latency.p99 <= 5 && classroom.server.cpuPct <= 35 && classroom.valid,
        }
      : { target: "classroom: p99 ≤ 5 ms, server CPU ≤ 35 % of a core", actual: "not run", met: "n/a" },
  );
  const join = cohort("join-storm");
  checks.push(
    join
      ? { target: "join-storm: p99 time-to-synced ≤ 1 s", actual: `p99 ${join.latency.p99} ms, ${join.loss} failed`, met: join.latency.p99 <= 1_000 && join.loss === 0 }
      : { target: "join-storm: p99 time-to-synced ≤ 1 s", actual: "not run", met: "n/a" },
  );
  const idle = cohort("idle-memory");
  // RSS moves by tens of MB with GC whatever the clients do; the retained heap is steadier. The
  // target holds only if both slopes are within it.
  const rssKb = Number(idle?.extra?.kbPerClient ?? NaN);
  const heapKb = Number(idle?.extra?.heapKbPerClient ?? NaN);
  checks.push(
    idle
      ? { target: "idle-memory: ≤ 100 KB per client", actual: `RSS ${rssKb} KB, heap + external ${heapKb} KB per client`, met: Math.max(rssKb, heapKb) <= 100 }
      : { target: "idle-memory: ≤ 100 KB per client", actual: "not run", met: "n/a" },
  );
  for (const m of micro) checks.push({ target: `${m.name}: ${m.metric} ≤ ${m.target.toLocaleString("en")} ms`, actual: `${m.value} ms`, met: m.met });
  return checks;
}
