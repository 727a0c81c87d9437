import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "@cohort/test-support/free-port";

const run = promisify(execFile);

/** A test-owned redis-server with append-only persistence (fsync on every write), restartable. */
export async function startRedisProcess() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cohort-redis-"));
  const port = await freePort();
  let child: ChildProcess;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "always", "--save", ""], {
      stdio: "ignore",
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await run("redis-cli", ["-p", String(port), "ping"])).stdout.trim() === "PONG") return;
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("redis-server did not start");
  };
  const kill = async () => {
    const c = child;
    if (c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid;
    },
    /** kill -9, then start again on the same port and data. */
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
