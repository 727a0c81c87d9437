import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { waitFor } from "./wait-for.js";

const repoRoot = path.resolve(import.meta.dirname, "../../../..");
const VITEST_ADDED = ["NODE_ENV", "TEST", "VITEST", "VITEST_MODE", "VITEST_POOL_ID", "VITEST_WORKER_ID", "MODE", "DEV", "PROD", "SSR", "BASE_URL"];

export interface StartScript {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  readonly output: string;
  /** Waits until the output matches `pattern` and returns the match. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /**
   * Sends SIGTERM to the script's process group, as a terminal does to what runs in it (npm does
   * not pass signals through the shell of its script), and resolves with npm's exit code or signal.
   */
  stop(): Promise<number | NodeJS.Signals>;
  /** Whether any process of the group (npm, the script, the server, a redis-server) is still running. */
  groupAlive(): boolean;
  /** SIGKILL to whatever is left of the group (cleanup after a failed test). */
  kill(): void;
}

/**
 * Runs `npm start` from the repository root with `env` over this process's environment (a key set
 * to undefined is removed), as a developer would.
 */
export function runStartScript(env: Record<string, string | undefined>): StartScript {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  // A developer's shell has none of what vitest adds to the environment (NODE_ENV=test among them).
  for (const key of VITEST_ADDED) delete merged[key];
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  // detached: a process group of its own, so the whole tree can be signalled and checked.
  const child = spawn("npm", ["start"], { cwd: repoRoot, env: merged, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const signalGroup = (signal: NodeJS.Signals | 0) => {
    try {
      process.kill(-(child.pid as number), signal);
      return true;
    } catch {
      return false; // ESRCH: no process left in the group
    }
  };
  let output = "";
  child.stdout?.on("data", (chunk) => (output += String(chunk)));
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    get output() {
      return output;
    },
    waitForOutput: (pattern, timeoutMs) =>
      Promise.race([
        waitFor(() => output.match(pattern), { timeoutMs, intervalMs: 100, what: `${pattern} in the output of npm start` }).catch((error: Error) => {
          throw new Error(`${error.message}:\n${output}`);
        }),
        // Fails at once when the script dies instead of waiting out the timeout.
        exited.then((code) => Promise.reject(new Error(`npm start exited with ${code}:\n${output}`))),
      ]),
    async stop() {
      signalGroup("SIGTERM");
      return exited;
    },
    groupAlive: () => signalGroup(0),
    kill: () => void signalGroup("SIGKILL"),
  };
}
