import { performance } from "node:perf_hooks";
import { linearSlope, mergeHistograms } from "@cohort/loadtest";
import type { DriverSpec, TrafficSpec } from "../driver/protocol.js";
import { runDrivers } from "../driver/run-drivers.js";
import os from "node:os";
import { sampleProcess, watchMachine, watchProcess, type ProcWindow } from "../proc/proc-stats.js";
import type { PreparedRun, SystemUnderTest } from "../systems/topology.js";
import { combineReports, mb, NOISY_OTHERS_PCT, round1, serverFigures, summarize, type RunResult } from "./run-result.js";

export interface MeasureContext {
  /** Redis server pid (its CPU is part of the cost of every system that uses it). */
  redisPid?: number | undefined;
  drivers: number;
  padBytes: number;
}

const nowMs = () => performance.timeOrigin + performance.now();

/** Watches the server (and Redis) over [startAt, endAt) exactly, whatever the drivers do after. */
function watchWindow(pids: { server: number; redis?: number | undefined }, startAt: number, endAt: number) {
  let server: ReturnType<typeof watchProcess> | undefined;
  let redis: ReturnType<typeof watchProcess> | undefined;
  let machine: ReturnType<typeof watchMachine> | undefined;
  const result: { server?: ProcWindow; redis?: ProcWindow; machinePct?: number } = {};
  const begin = setTimeout(() => {
    server = watchProcess(pids.server);
    if (pids.redis) redis = watchProcess(pids.redis);
    machine = watchMachine(os.cpus().length);
  }, Math.max(0, startAt - nowMs()));
  const end = setTimeout(() => {
    if (server) result.server = server.stop();
    if (redis) result.redis = redis.stop();
    if (machine) result.machinePct = machine.stop();
  }, Math.max(0, endAt - nowMs()));
  return {
    finish() {
      clearTimeout(begin);
      clearTimeout(end);
      // The window always closes before the drivers report (they drain after endAt).
      result.server ??= server?.stop();
      result.redis ??= redis?.stop();
      result.machinePct ??= machine?.stop();
      return result;
    },
  };
}

/** Open-loop streaming run: every client sends on schedule; deliveries are timed at the receivers. */
export async function runStream(
  system: SystemUnderTest,
  prepared: PreparedRun,
  options: { scenario: string; step?: string; traffic: TrafficSpec; drainMs: number; context: MeasureContext },
): Promise<RunResult> {
  const { traffic, context } = options;
  const spec: Omit<DriverSpec, "own"> = {
    system: system.name,
    url: system.url,
    mode: "stream",
    clients: prepared.clients,
    traffic,
    connectConcurrency: 25,
    drainMs: options.drainMs,
    padBytes: context.padBytes,
    deadlineMs: 120_000 + traffic.durationMs + options.drainMs,
  };
  let window: ReturnType<typeof watchWindow> | undefined;
  const run = await runDrivers(spec, context.drivers, {
    onStart: (startAt) => {
      window = watchWindow({ server: system.pid, redis: system.name === "ws" ? undefined : context.redisPid }, startAt, startAt + traffic.durationMs);
    },
  });
  const windows = window!.finish();
  return combineReports({
    scenario: options.scenario,
    system: system.name,
    step: options.step,
    reports: run.reports,
    startAt: run.startAt,
    durationMs: traffic.durationMs,
    server: windows.server ?? { cpuPct: 0, rssStartBytes: 0, rssEndBytes: 0, rssPeakBytes: 0 },
    redis: windows.redis,
    coalescesCursors: system.name === "cohort",
    machinePct: windows.machinePct,
  });
}

/** Join storm: every client connects, joins and syncs its project at one instant. */
export async function runJoin(
  system: SystemUnderTest,
  prepared: PreparedRun,
  options: { scenario: string; files: number; context: MeasureContext },
): Promise<RunResult> {
  const { context } = options;
  const spec: Omit<DriverSpec, "own"> = {
    system: system.name,
    url: system.url,
    mode: "join",
    clients: prepared.clients,
    join: { lessonId: prepared.lessonId, files: options.files },
    connectConcurrency: prepared.clients.length,
    drainMs: 0,
    padBytes: 0,
    deadlineMs: 120_000,
  };
  let server: ReturnType<typeof watchProcess> | undefined;
  let redis: ReturnType<typeof watchProcess> | undefined;
  let machine: ReturnType<typeof watchMachine> | undefined;
  let startAt = 0;
  const run = await runDrivers(spec, context.drivers, {
    onStart: (at) => {
      startAt = at;
      server = watchProcess(system.pid, 200);
      if (context.redisPid && system.name !== "ws") redis = watchProcess(context.redisPid, 200);
      machine = watchMachine(os.cpus().length);
    },
  });
  const serverWindow = server!.stop();
  const redisWindow = redis?.stop();
  const machinePct = machine?.stop() ?? 0;
  const durationMs = nowMs() - startAt;
  const times = mergeHistograms(run.reports.flatMap((r) => (r.joinTimes ? [r.joinTimes] : [])));
  const failures = run.reports.reduce((sum, r) => sum + (r.joinFailures ?? 0), 0);
  const synced = summarize(times);
  const saturated = run.reports.some((r) => r.process.saturated);
  const generatorCpu = run.reports.reduce((sum, r) => sum + avg(r.process.cpuPct), 0);
  const othersPct = round1(Math.max(0, machinePct - serverWindow.cpuPct - (redisWindow?.cpuPct ?? 0) - generatorCpu));
  return {
    scenario: options.scenario,
    system: system.name,
    clients: prepared.clients.length,
    startAt,
    durationMs: Math.round(durationMs),
    latency: synced,
    sent: prepared.clients.length,
    expected: prepared.clients.length,
    delivered: synced.count,
    deliveriesPerSec: 0,
    loss: failures,
    coalesced: 0,
    duplicates: 0,
    unattributed: 0,
    resets: 0,
    sendErrors: failures,
    connectFailures: failures,
    server: serverFigures(serverWindow),
    redis: redisWindow ? { cpuPct: round1(redisWindow.cpuPct) } : undefined,
    generator: {
      cpuPct: round1(generatorCpu),
      lagP99Ms: Math.max(0, ...run.reports.map((r) => r.process.overallLagP99Ms ?? 0)),
      saturated,
      processes: run.reports.length,
    },
    machine: { busyPct: round1(machinePct), othersPct },
    // A join storm loads the generator by design (hundreds of handshakes at once); its saturation
    // is reported but does not void the time-to-synced the clients saw.
    valid: failures === 0,
    notes: [
      ...(saturated ? ["generator busy during the storm (expected: it does the clients' work too)"] : []),
      ...(othersPct > NOISY_OTHERS_PCT ? [`other processes on the machine used ${othersPct} % of a core during the storm (noisy)`] : []),
    ],
    extra: { filesPerClient: options.files, syncedClients: synced.count, failures },
    errors: run.reports.flatMap((r) => r.errors).slice(0, 10),
  };
}

/**
 * Idle memory: server RSS per connected, subscribed, idle client. Clients connect in `phases`
 * equal steps; after each the server settles and its RSS is sampled, and the result is the
 * least-squares slope of RSS over clients — a single before/after difference is at the mercy of
 * whatever garbage the heap held when "before" was taken.
 */
export async function runIdle(
  system: SystemUnderTest,
  prepared: PreparedRun,
  options: { scenario: string; settleMs: number; phases: number; context: MeasureContext },
): Promise<RunResult> {
  const beforeMemory = await system.memory();
  const before = sampleProcess(system.pid);
  const spec: Omit<DriverSpec, "own"> = {
    system: system.name,
    url: system.url,
    mode: "idle",
    clients: prepared.clients,
    connectConcurrency: 25,
    drainMs: 0,
    padBytes: 0,
    deadlineMs: 600_000,
    idlePhases: options.phases,
  };
  const points: { clients: number; rssBytes: number; heapBytes: number }[] = [];
  let cpuWhileIdle = 0;
  const started = nowMs();
  const run = await runDrivers(spec, options.context.drivers, {
    whileIdle: async ({ phase, connected }) => {
      await new Promise((resolve) => setTimeout(resolve, options.settleMs));
      if (phase === options.phases - 1) {
        // CPU of holding the clients (keep-alives, heartbeats), not of connecting them.
        const idle = watchProcess(system.pid);
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        cpuWhileIdle = idle.stop().cpuPct;
      }
      // Retained memory, not garbage: a full GC first (every bench server handles SIGUSR2).
      const memory = await system.memory();
      const sample = sampleProcess(system.pid);
      if (sample) points.push({ clients: connected, rssBytes: sample.rssBytes, heapBytes: memory ? memory.heapUsed + memory.external : 0 });
    },
  });
  const connected = run.connected;
  const last = points.at(-1);
  // The slope over the steps; the state before any client is the first point (so even one step fits).
  const fit = [{ clients: 0, rssBytes: before?.rssBytes ?? 0, heapBytes: beforeMemory ? beforeMemory.heapUsed + beforeMemory.external : 0 }, ...points];
  // No client connected, or no step sampled: no slope (NaN), and the run is marked invalid below.
  const fits = new Set(fit.map((p) => p.clients)).size >= 2;
  const slopeBytes = fits ? linearSlope(fit.map((p) => [p.clients, p.rssBytes] as const)) : Number.NaN;
  const heapSlopeBytes = fits ? linearSlope(fit.map((p) => [p.clients, p.heapBytes] as const)) : Number.NaN;
  const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
  return {
    scenario: options.scenario,
    system: system.name,
    clients: prepared.clients.length,
    durationMs: Math.round(nowMs() - started),
    latency: { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, count: 0 },
    sent: 0,
    expected: 0,
    delivered: 0,
    deliveriesPerSec: 0,
    loss: 0,
    coalesced: 0,
    duplicates: 0,
    unattributed: 0,
    resets: 0,
    sendErrors: 0,
    connectFailures: run.failed,
    server: { cpuPct: round1(cpuWhileIdle), rssStartMb: mb(before?.rssBytes ?? 0), rssPeakMb: mb(Math.max(0, ...points.map((p) => p.rssBytes))), rssEndMb: mb(last?.rssBytes ?? 0) },
    generator: { cpuPct: 0, lagP99Ms: 0, saturated: false, processes: run.reports.length },
    valid: run.failed === 0 && points.length >= 2,
    notes: run.failed > 0 ? [`${run.failed} clients failed to connect`] : [],
    extra: {
      connected,
      rssGrowthMb: mb((last?.rssBytes ?? 0) - (before?.rssBytes ?? 0)),
      kbPerClient: kb(slopeBytes),
      heapKbPerClient: kb(heapSlopeBytes),
      rssMbByClients: fit.map((p) => `${p.clients}:${mb(p.rssBytes)}`).join(" "),
    },
    errors: run.reports.flatMap((r) => r.errors).slice(0, 10),
  };
}

function avg(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
