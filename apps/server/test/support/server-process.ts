import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { inject } from "vitest";
import { testEnv } from "@cohort/test-support";
import { sharedBlobDir, TEST_ADMIN_KEY, TEST_JWT_SECRET } from "./test-app.js";

const serverDir = path.resolve(import.meta.dirname, "../..");

export interface ServerProcess {
  child: ChildProcess;
  /** JSON objects the process printed on stdout (for example memory samples), newest last. */
  printed: Record<string, unknown>[];
  pid: number;
  url: string;
  wsUrl: string;
  /** kill -9: no goodbye to clients, Redis or the database. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts apps/server as its own OS process (a real second instance) and waits for its URL. */
export async function startServerProcess(overrides: Record<string, string> = {}, { nodeArgs = [] }: { nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const env = testEnv();
  const printed: Record<string, unknown>[] = [];
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      REDIS_KEY_PREFIX: inject("redisPrefix"),
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_KEY: TEST_ADMIN_KEY,
      LOG_LEVEL: "info",
      BLOB_DIR: sharedBlobDir(),
      // As in startTestApp: no scheduled backup runs contending for the run-wide lock.
      BACKUP_INTERVAL_MS: "3600000",
      ...overrides,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const { url, wsUrl } = await new Promise<{ url: string; wsUrl: string }>((resolve, reject) => {
    let buffered = "";
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`server process did not start: ${stderr}`)), 30_000);
    child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
    child.stdout?.on("data", (chunk) => {
      buffered += String(chunk);
      for (const line of buffered.split("\n")) {
        if (!line.includes("cohort server listening")) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; wsUrl: string });
      }
    });
    child.once("exit", (code) => reject(new Error(`server process exited with ${code}: ${stderr}`)));
  });
  let pending = "";
  child.stdout?.on("data", (chunk) => {
    pending += String(chunk);
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      try {
        printed.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not JSON
      }
    }
  });
  return {
    child,
    printed,
    pid: child.pid as number,
    url,
    wsUrl,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
