import { spawn, type ChildProcess } from "node:child_process";
import { assertLaunchRequest, type LaunchedTester, type LaunchRequest, type Launcher } from "./launcher.js";
import { testerEnvironment } from "./tester-environment.js";

export interface LocalLauncherOptions {
  /** Program and arguments of a tester, e.g. `[process.execPath, "--import", "tsx", testerMainPath]`. */
  command: readonly string[];
  /**
   * The children's environment, under the tester variables. Nothing is inherited unless passed
   * (e.g. `env: process.env` from cli.ts), so secrets such as the admin key do not leak into testers.
   * @default {}
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** @default the parent's working directory */
  cwd?: string;
  /**
   * Where the testers' output goes: this process's stdout and stderr, or nowhere.
   * @default "inherit"
   */
  stdio?: "inherit" | "ignore";
  /**
   * How long `stop` waits after SIGTERM before SIGKILL.
   * @default 5_000
   */
  stopGraceMs?: number;
  /** Called when a tester process exits, whoever stopped it. */
  onExit?: (exit: TesterExit) => void;
}

export const localLauncherDefaults: Required<Pick<LocalLauncherOptions, "env" | "stdio" | "stopGraceMs">> = {
  env: {},
  stdio: "inherit",
  stopGraceMs: 5_000,
};

export interface TesterExit {
  testerId: string;
  handle: string;
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Tracked {
  testerId: string;
  child: ChildProcess;
  exited: Promise<void>;
  exit?: TesterExit;
}

/** Runs each tester as a child process of this one; the default launcher. */
export class LocalLauncher implements Launcher {
  readonly #options: LocalLauncherOptions & typeof localLauncherDefaults;
  readonly #children = new Map<string, Tracked>();

  constructor(options: LocalLauncherOptions) {
    if (options.command.length === 0) throw new TypeError("LocalLauncher needs a command");
    this.#options = { ...localLauncherDefaults, ...options };
  }

  async launch(request: LaunchRequest): Promise<LaunchedTester[]> {
    assertLaunchRequest(request);
    const launched: LaunchedTester[] = [];
    try {
      for (const { testerId, clients } of request.testers) {
        const env = { ...this.#options.env, ...testerEnvironment({ ...request, testerIds: [testerId], clients }) };
        launched.push({ testerId, handle: await this.#spawn(testerId, env) });
      }
    } catch (error) {
      // Half a test is worse than none: stop the ones that did start.
      await this.stop(launched.map((l) => l.handle));
      throw error;
    }
    return launched;
  }

  async stop(handles: readonly string[]): Promise<void> {
    await Promise.all(handles.map((handle) => this.#stopOne(handle)));
  }

  /** How a tester exited, or undefined while it runs (or for an unknown handle). */
  exitOf(handle: string): TesterExit | undefined {
    return this.#children.get(handle)?.exit;
  }

  /** Handles of testers still running. */
  running(): string[] {
    return [...this.#children].filter(([, tracked]) => !tracked.exit).map(([handle]) => handle);
  }

  async #spawn(testerId: string, env: Record<string, string | undefined>): Promise<string> {
    const [file, ...args] = this.#options.command as [string, ...string[]];
    const child = spawn(file, args, { env, cwd: this.#options.cwd, stdio: this.#options.stdio });
    // Listen for the exit before anything else can run, so that no exit goes unseen.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    // A bad command fails asynchronously ("error" instead of "spawn").
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    // Later errors (a failed kill of a process already gone) must not crash the launcher; the
    // exit is what counts.
    child.on("error", () => {});
    const handle = `local:${child.pid}`;
    const tracked: Tracked = {
      testerId,
      child,
      exited: exited.then(({ code, signal }) => {
        tracked.exit = { testerId, handle, code, signal };
        this.#options.onExit?.(tracked.exit);
      }),
    };
    this.#children.set(handle, tracked);
    return handle;
  }

  async #stopOne(handle: string): Promise<void> {
    const tracked = this.#children.get(handle);
    if (!tracked || tracked.exit) return;
    tracked.child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.#options.stopGraceMs);
    });
    const outcome = await Promise.race([tracked.exited, graceOver]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      tracked.child.kill("SIGKILL");
      await tracked.exited;
    }
  }
}
