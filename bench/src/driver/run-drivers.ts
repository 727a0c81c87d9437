import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { DriverReport, DriverSpec, FromDriver, ToDriver } from "./protocol.js";

const driverMain = path.join(import.meta.dirname, "driver-main.ts");

/**
 * `BENCH_GENERATOR_PROFILE_DIR=<dir>`: every load generator writes a V8 CPU profile there (read
 * them with profile-summary.ts). How the generators spend their time decides how far a run can load
 * a server before its own receive path becomes the limit.
 */
const profileDir = process.env.BENCH_GENERATOR_PROFILE_DIR;
const generatorFlags = ["--import", "tsx", ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [])];

export interface RunDriversHooks {
  /** All clients are connected (stream, idle) or ready to start (join). */
  onReady?(ready: { connected: number; failed: number }): Promise<void> | void;
  /** The common start time was sent (stream, join); runs while the drivers work. */
  onStart?(startAt: number): void;
  /** Idle mode: after each connection step, hold the connections while this runs; then the next step or stop. */
  whileIdle?(step: { phase: number; connected: number; failed: number }): Promise<void>;
}

export interface DriverRun {
  reports: DriverReport[];
  startAt: number;
  connected: number;
  failed: number;
}

/**
 * Forks `drivers` generator processes, splits the clients between them, waits until all are
 * ready, then starts them at one common time and collects their reports. Children are killed by
 * pid if they outlive the spec's deadline.
 */
export async function runDrivers(spec: Omit<DriverSpec, "own">, drivers: number, hooks: RunDriversHooks = {}): Promise<DriverRun> {
  const count = Math.max(1, Math.min(drivers, spec.clients.length));
  const children: ChildProcess[] = [];
  const inbox: FromDriver[][] = [];
  const waiters: (() => void)[] = [];
  const exited: boolean[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  for (let d = 0; d < count; d++) {
    const child = fork(driverMain, [], { execArgv: generatorFlags, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    children.push(child);
    inbox.push([]);
    exited.push(false);
    child.on("message", (message: FromDriver) => {
      inbox[d]!.push(message);
      wake();
    });
    child.on("exit", () => {
      exited[d] = true;
      wake();
    });
    const from = Math.floor((spec.clients.length * d) / count);
    const to = Math.floor((spec.clients.length * (d + 1)) / count);
    const message: ToDriver = { type: "spec", spec: { ...spec, own: { from, to } }, driver: d };
    child.send(message);
  }
  const deadline = Date.now() + spec.deadlineMs + 10_000;
  const broadcast = (message: ToDriver) => children.forEach((child, d) => !exited[d] && child.send(message));

  /** One message of `type` from every driver (a fatal message or an early exit fails the run). */
  const collect = async <T extends FromDriver["type"]>(type: T): Promise<Extract<FromDriver, { type: T }>[]> => {
    for (;;) {
      const found: Extract<FromDriver, { type: T }>[] = [];
      for (let d = 0; d < count; d++) {
        const fatal = inbox[d]!.find((m) => m.type === "fatal");
        if (fatal && fatal.type === "fatal") throw new Error(`driver ${d}: ${fatal.message}`);
        const at = inbox[d]!.findIndex((m) => m.type === type);
        if (at >= 0) found.push(inbox[d]![at] as Extract<FromDriver, { type: T }>);
        else if (exited[d]) throw new Error(`driver ${d} exited before sending ${type}`);
      }
      if (found.length === count) {
        // Consumed: the next collect of the same type waits for the next round.
        for (let d = 0; d < count; d++) inbox[d]!.splice(inbox[d]!.findIndex((m) => m.type === type), 1);
        return found;
      }
      if (Date.now() > deadline) throw new Error(`drivers did not send ${type} in time`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 1_000).unref();
      });
    }
  };

  try {
    const readyCounts = async () => {
      const ready = await collect("ready");
      return { connected: ready.reduce((sum, r) => sum + r.connected, 0), failed: ready.reduce((sum, r) => sum + r.failed, 0) };
    };
    let { connected, failed } = await readyCounts();
    await hooks.onReady?.({ connected, failed });
    let startAt = 0;
    if (spec.mode === "idle") {
      const phases = Math.max(1, spec.idlePhases ?? 1);
      for (let phase = 0; phase < phases; phase++) {
        if (phase > 0) ({ connected, failed } = await readyCounts());
        await hooks.whileIdle?.({ phase, connected, failed });
        broadcast({ type: phase < phases - 1 ? "next" : "stop" });
      }
    } else {
      // Far enough ahead that every driver has the message and has built its schedule.
      startAt = Math.ceil(performance.timeOrigin + performance.now()) + 750;
      broadcast({ type: "go", startAt });
      hooks.onStart?.(startAt);
    }
    const reports = (await collect("report")).map((m) => m.report);
    return { reports, startAt, connected, failed };
  } finally {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        await Promise.race([new Promise((resolve) => child.once("exit", resolve)), new Promise((resolve) => setTimeout(resolve, 2_000))]);
        if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
      }
    }
  }
}
