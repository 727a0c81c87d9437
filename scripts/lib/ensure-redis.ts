import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import net from "node:net";

function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || "127.0.0.1", port: Number(port || 6379) });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.write("PING\r\n");
    });
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG") || data.toString().startsWith("-NOAUTH"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Where a redis-server started for `url` listens: at that address when it is this machine's, so REDIS_URL stays true. */
function childPortFor(url: string): number {
  const { hostname, port } = new URL(url);
  return ["127.0.0.1", "localhost", "[::1]"].includes(hostname) ? Number(port || 6379) : 6399;
}

/**
 * Uses the Redis at `url` when it answers; otherwise starts a redis-server child with append-only
 * persistence in `dir` (so `npm start` keeps files across restarts) and returns its URL.
 */
export async function ensureRedis(url: string, { dir }: { dir: string }): Promise<{ url: string; child: ChildProcess | null }> {
  if (url.startsWith("redis://") && (await answers(url))) return { url, child: null };
  if (!url.startsWith("redis://")) return { url, child: null };
  const which = spawnSync("redis-server", ["--version"], { stdio: "ignore" });
  if (which.error || which.status !== 0) {
    throw new Error(
      `No Redis answers at ${url} and redis-server is not on PATH.\n` +
        "Install Redis 7 (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.",
    );
  }
  mkdirSync(dir, { recursive: true });
  const port = childPortFor(url);
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--appendonly", "yes", "--dir", dir, "--save", ""], {
    stdio: "ignore",
  });
  const local = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await answers(local)) return { url: local, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("redis-server did not start");
}
