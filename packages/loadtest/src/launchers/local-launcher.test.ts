import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalLauncher, type TesterExit } from "./local-launcher.js";
import { parseTesterEnvironment } from "./tester-environment.js";

let dir: string;
let envScript: string;
let stubbornScript: string;
const request = { testId: 12, serverUrl: "ws://127.0.0.1:4000/trpc", testToken: "secret-token" };

/** Polls until `read` stops throwing. */
async function eventually<T>(read: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cohort-local-launcher-"));
  envScript = join(dir, "write-env.mjs");
  // Writes its environment to <dir>/<tester id>.json, then runs until told to stop (or exits
  // with the code given in EXIT_CODE).
  await writeFile(
    envScript,
    `import { writeFileSync } from "node:fs";
     const file = ${JSON.stringify(dir)} + "/" + process.env.COHORT_TESTER_ID + ".json";
     writeFileSync(file, JSON.stringify(process.env));
     if (process.env.EXIT_CODE) process.exit(Number(process.env.EXIT_CODE));
     setInterval(() => {}, 1000);`,
  );
  stubbornScript = join(dir, "stubborn.mjs");
  await writeFile(
    stubbornScript,
    `import { writeFileSync } from "node:fs";
     process.on("SIGTERM", () => {});
     writeFileSync(${JSON.stringify(dir)} + "/stubborn-ready", "1");
     setInterval(() => {}, 1000);`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("LocalLauncher", () => {
  it("starts one process per tester with the tester variables, and nothing else from the parent", async () => {
    const exits: TesterExit[] = [];
    const launcher = new LocalLauncher({ command: [process.execPath, envScript], env: { EXTRA: "yes" }, stdio: "ignore", onExit: (e) => exits.push(e) });
    const launched = await launcher.launch({ ...request, testers: [{ testerId: "t1", clients: 20 }, { testerId: "t2", clients: 15 }] });
    expect(launched.map((l) => l.testerId)).toEqual(["t1", "t2"]);
    expect(launched.every((l) => /^local:\d+$/.test(l.handle))).toBe(true);
    expect(launcher.running().sort()).toEqual(launched.map((l) => l.handle).sort());

    const env = await eventually(async () => JSON.parse(await readFile(join(dir, "t2.json"), "utf8")) as Record<string, string>);
    expect(env).toMatchObject({
      COHORT_TEST_ID: "12",
      COHORT_TESTER_ID: "t2",
      COHORT_SERVER_URL: "ws://127.0.0.1:4000/trpc",
      COHORT_TEST_TOKEN: "secret-token",
      COHORT_CLIENTS: "15",
      EXTRA: "yes",
    });
    expect(env.PATH).toBeUndefined();
    expect(parseTesterEnvironment(env)).toEqual({ testId: 12, testerIds: ["t2"], serverUrl: request.serverUrl, testToken: "secret-token", clients: 15 });

    await launcher.stop(launched.map((l) => l.handle));
    expect(launcher.running()).toEqual([]);
    expect(launcher.exitOf(launched[0]?.handle as string)).toMatchObject({ testerId: "t1", signal: "SIGTERM" });
    expect(exits.map((e) => e.testerId).sort()).toEqual(["t1", "t2"]);
    await launcher.stop(launched.map((l) => l.handle)); // again: nothing to do
  });

  it("kills a tester that ignores SIGTERM once the grace period is over", async () => {
    const launcher = new LocalLauncher({ command: [process.execPath, stubbornScript], stdio: "ignore", stopGraceMs: 200 });
    const [launched] = await launcher.launch({ ...request, testers: [{ testerId: "s", clients: 1 }] });
    await eventually(() => readFile(join(dir, "stubborn-ready")));
    const started = Date.now();
    await launcher.stop([launched?.handle as string]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(launcher.exitOf(launched?.handle as string)).toMatchObject({ code: null, signal: "SIGKILL" });
  });

  it("tracks a tester that exits by itself", async () => {
    let onExit: (exit: TesterExit) => void = () => {};
    const exited = new Promise<TesterExit>((resolve) => (onExit = resolve));
    const launcher = new LocalLauncher({ command: [process.execPath, envScript], env: { EXIT_CODE: "3" }, stdio: "ignore", onExit });
    const [launched] = await launcher.launch({ ...request, testers: [{ testerId: "quits", clients: 1 }] });
    expect(await exited).toEqual({ testerId: "quits", handle: launched?.handle, code: 3, signal: null });
    expect(launcher.running()).toEqual([]);
  });

  it("rejects when the command cannot start", async () => {
    const launcher = new LocalLauncher({ command: [join(dir, "no-such-program")], stdio: "ignore" });
    await expect(launcher.launch({ ...request, testers: [{ testerId: "x", clients: 1 }] })).rejects.toThrow(/ENOENT/);
  });

  it("refuses bad requests before starting anything", async () => {
    const launcher = new LocalLauncher({ command: [process.execPath, envScript], stdio: "ignore" });
    await expect(launcher.launch({ ...request, testers: [{ testerId: "a,b", clients: 1 }] })).rejects.toThrow(TypeError);
    await expect(launcher.launch({ ...request, testers: [{ testerId: "a", clients: 1 }, { testerId: "a", clients: 1 }] })).rejects.toThrow(/twice/);
    await expect(launcher.launch({ ...request, testToken: "", testers: [] })).rejects.toThrow(/testToken/);
    expect(() => new LocalLauncher({ command: [] })).toThrow(TypeError);
  });
});
