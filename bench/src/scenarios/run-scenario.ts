import type { SystemName } from "../driver/protocol.js";
import type { SystemUnderTest } from "../systems/topology.js";
import { runIdle, runJoin, runStream, type MeasureContext } from "./measure.js";
import { traffic, type BenchPlan, type ScenarioName } from "./plan.js";
import { NOISY_OTHERS_PCT, type RunResult } from "./run-result.js";
import { waitForQuiet } from "../proc/wait-for-quiet.js";
import { classroomTopology, fanoutTopology, idleTopology } from "./topologies.js";

export interface BenchContext {
  plan: BenchPlan;
  measure: MeasureContext;
  /** A fresh server of `system` for one scenario (stopped by the caller). */
  startSystem(system: SystemName, scenario: ScenarioName): Promise<SystemUnderTest>;
  log(line: string): void;
}

/** Runs one scenario against one system on a fresh server; a ramp gives one result per step. */
export async function runScenario(scenario: Exclude<ScenarioName, "micro">, systemName: SystemName, ctx: BenchContext): Promise<RunResult[]> {
  const { plan, measure } = ctx;
  const system = await ctx.startSystem(systemName, scenario);
  try {
    switch (scenario) {
      case "fanout-50":
      case "fanout-100":
      case "fanout-200": {
        const clients = Number(scenario.slice("fanout-".length));
        const prepared = await system.prepare(fanoutTopology(clients));
        const spec = traffic({ ratePerClient: plan.fanout.ratePerClient, weights: { edit: 1, cursor: 0 }, durationMs: plan.fanout.durationMs });
        return [await runStream(system, prepared, { scenario, traffic: spec, drainMs: plan.drainMs, context: measure })];
      }
      case "classroom": {
        const { students, pairs, durationMs, ratePerClient } = plan.classroom;
        const prepared = await system.prepare(classroomTopology(students, pairs));
        // Uniform arrivals: a typist's keystrokes and cursor moves come at a steady pace.
        const spec = traffic({ ratePerClient, weights: { edit: 1, cursor: 1 }, durationMs, arrival: "uniform" });
        return [await runStream(system, prepared, { scenario, traffic: spec, drainMs: plan.drainMs, context: measure })];
      }
      case "saturation":
        return await runRamp(system, ctx);
      case "join-storm": {
        const prepared = await system.prepareJoin(plan.joinStorm.clients);
        return [await runJoin(system, prepared, { scenario, files: plan.joinStorm.files, context: measure })];
      }
      case "idle-memory": {
        const prepared = await system.prepare(idleTopology(plan.idle.clients));
        return [await runIdle(system, prepared, { scenario, settleMs: plan.idle.settleMs, phases: plan.idle.phases, context: measure })];
      }
    }
  } finally {
    await system.stop();
  }
}

/** Raises the offered load step by step until p99 passes the limit (or the run stops being valid). */
async function runRamp(system: SystemUnderTest, ctx: BenchContext): Promise<RunResult[]> {
  const { clients, stepMs, targets, maxP99Ms } = ctx.plan.saturation;
  const results: RunResult[] = [];
  for (const target of targets) {
    const ratePerClient = Math.min(50, target / (clients * (clients - 1)));
    const step = async () => {
      const prepared = await system.prepare(fanoutTopology(clients));
      const spec = traffic({ ratePerClient, weights: { edit: 1, cursor: 0 }, durationMs: stepMs, seed: 11 });
      return runStream(system, prepared, {
        scenario: "saturation",
        step: `${Math.round(target / 1000)}k/s offered (${ratePerClient.toFixed(1)} msg/s per client)`,
        traffic: spec,
        drainMs: ctx.plan.drainMs,
        context: ctx.measure,
      });
    };
    let result = await step();
    // One disturbed step must not end a ramp: a step that failed while other processes were busy
    // is run again once the machine is quiet, and the less disturbed of the two counts.
    if (result.latency.p99 > maxP99Ms && (result.machine?.othersPct ?? 0) > NOISY_OTHERS_PCT) {
      ctx.log(`  ${system.name} saturation step ${result.step}: p99 ${result.latency.p99} ms while others used ${result.machine?.othersPct} % of a core; again`);
      await waitForQuiet({ maxWaitMs: 60_000 });
      const again = await step();
      if ((again.machine?.othersPct ?? 0) < (result.machine?.othersPct ?? 0)) result = again;
    }
    results.push(result);
    ctx.log(`  ${system.name} saturation step ${result.step}: ${result.deliveriesPerSec}/s, p99 ${result.latency.p99} ms, loss ${result.loss}${result.valid ? "" : " (invalid)"}`);
    // An invalid step (generator saturated) still shows what the server delivered; the ramp goes
    // on until latency or loss says the server is past its limit.
    const lossShare = result.expected > 0 ? result.loss / result.expected : 0;
    if (result.latency.p99 > maxP99Ms || lossShare > 0.01) break;
  }
  return results;
}

/** The deliveries/s a system reached in a ramp: the best step with p99 within the limit. */
export function saturationReached(steps: readonly RunResult[], maxP99Ms: number): { deliveriesPerSec: number; limitedBy: string } {
  let best = 0;
  for (const step of steps) {
    const lossShare = step.expected > 0 ? step.loss / step.expected : 0;
    if (step.latency.p99 <= maxP99Ms && lossShare <= 0.01) best = Math.max(best, step.deliveriesPerSec);
  }
  const last = steps.at(-1);
  const limitedBy = !last
    ? "not run"
    : last.latency.p99 > maxP99Ms
        ? `p99 ${last.latency.p99} ms > ${maxP99Ms} ms`
        : last.expected > 0 && last.loss / last.expected > 0.01
          ? "loss > 1 %"
          : "highest step offered";
  const generatorBound = steps.some((s) => !s.valid && s.deliveriesPerSec === best);
  return { deliveriesPerSec: best, limitedBy: generatorBound ? `${limitedBy}; generator saturated at the best step (a lower bound)` : limitedBy };
}
