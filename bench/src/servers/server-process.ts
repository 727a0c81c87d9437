import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { benchRoot, repoRoot } from "../env.js";

/** Every server gets this preload: SIGUSR2 = full GC (see gc-on-signal.mjs). */
const gcOnSignal = path.join(import.meta.dirname, "gc-on-signal.mjs");

export interface ServerMemory {
  rss: number;
  heapUsed: number;
  external: number;
}

export interface ServerProcess {
  pid: number;
  /** Epoch ms of the spawn. */
  spawnedAt: number;
  /** What the server printed when it started listening (JSON). */
  info: Record<string, unknown>;
  /** SIGTERM, then SIGKILL after the grace time; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Last lines of stderr, for error messages. */
  stderr(): string;
  /** A full GC in the server, then its memory (undefined if it does not answer within 5 s). */
  memory(): Promise<ServerMemory | undefined>;
}

export interface SpawnServerOptions {
  /** Script and arguments after `node --import tsx`, relative to the repository root. */
  args: string[];
  env: Record<string, string>;
  /** The stdout line that says it listens (parsed as JSON). */
  readyWhen: (line: string) => boolean;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  timeoutMs?: number;
}

/** Starts a server as its own OS process and waits for its "listening" line. */
export async function spawnServer(options: SpawnServerOptions): Promise<ServerProcess> {
  const spawnedAt = Date.now();
  const measurement = ["--expose-gc", "--import", pathToFileURL(gcOnSignal).href];
  const child: ChildProcess = spawn(process.execPath, [...measurement, ...(options.nodeFlags ?? []), "--import", "tsx", ...options.args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`server did not start in time: ${stderr}`)), options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      buffered += String(chunk);
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (!options.readyWhen(line)) continue;
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve(JSON.parse(line) as Record<string, unknown>);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr}`));
    });
  });
  // From here on stdout is read only for memory reports (and drained, so a chatty server never
  // blocks on a full pipe).
  let memoryWaiter: ((memory: ServerMemory) => void) | undefined;
  let pending = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const lines = (pending + String(chunk)).split("\n");
    pending = (lines.pop() ?? "").slice(-100_000);
    for (const line of lines) {
      if (!line.startsWith('{"benchMemory"')) continue;
      memoryWaiter?.((JSON.parse(line) as { benchMemory: ServerMemory }).benchMemory);
      memoryWaiter = undefined;
    }
  });
  return {
    pid: child.pid as number,
    spawnedAt,
    info,
    stderr: () => stderr,
    memory() {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), 5_000);
        memoryWaiter = (memory) => {
          clearTimeout(timer);
          resolve(memory);
        };
        try {
          child.kill("SIGUSR2");
        } catch {
          clearTimeout(timer);
          resolve(undefined);
        }
      });
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const baselineServerScript = `${benchRoot.slice(repoRoot.length + 1)}/src/servers/server-main.ts`;
