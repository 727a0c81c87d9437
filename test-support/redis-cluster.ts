import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";

const run = promisify(execFile);

export interface RedisCluster {
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

/**
 * A real 3-master Redis Cluster from the machine's redis-server, on ports of its own, joined with
 * `redis-cli --cluster create`. Stopped by pid.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cohort-cluster-"));
  const ports = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`, "--dir", dir, "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    ),
  );
  const exited = children.map((c) => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(null) : c.once("exit", resolve))));
  const stop = async () => {
    for (const child of children) child.kill("SIGKILL");
    await Promise.all(exited);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await waitForPing(port);
    await run("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"]);
    await waitForClusterOk(ports);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(",")}`, ports, stop };
}

async function waitForPing(port: number) {
  for (let i = 0; i < 100; i++) {
    try {
      const { stdout } = await run("redis-cli", ["-p", String(port), "ping"]);
      if (stdout.trim() === "PONG") return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on ${port} did not start`);
}

/** Every node agrees the cluster is whole: all slots covered, by as many masters as were started. */
async function waitForClusterOk(ports: number[]) {
  let last = "";
  for (let i = 0; i < 100; i++) {
    const states = await Promise.all(ports.map(async (p) => (await run("redis-cli", ["-p", String(p), "cluster", "info"])).stdout));
    if (states.every((s) => s.includes("cluster_state:ok") && s.includes(`cluster_size:${ports.length}`))) return;
    last = states[0] ?? "";
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Redis Cluster on ${ports.join(",")} did not become ok:\n${last}`);
}
