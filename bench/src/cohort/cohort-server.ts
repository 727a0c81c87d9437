import { spawnServer, type ServerProcess } from "../servers/server-process.js";

export const BENCH_JWT_SECRET = "bench-secret-that-is-long-enough-0123456789";
export const BENCH_ADMIN_KEY = "bench-admin-key-0123456789";

export interface CohortServerOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Redis key prefix of this run (every instance of a run shares it). */
  prefix: string;
  blobDir: string;
  /** e.g. ["--cpu-prof", "--cpu-prof-dir=…"]. */
  nodeFlags?: string[];
  instanceId?: string;
}

export interface CohortServer extends ServerProcess {
  url: string;
  wsUrl: string;
}

/** A real Cohort server (apps/server/src/main.ts) as its own process, as deployed. */
export async function spawnCohortServer(options: CohortServerOptions): Promise<CohortServer> {
  const server = await spawnServer({
    args: ["apps/server/src/main.ts"],
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: options.prefix,
      JWT_SECRET: BENCH_JWT_SECRET,
      ADMIN_KEY: BENCH_ADMIN_KEY,
      BLOB_DIR: options.blobDir,
      INSTANCE_ID: options.instanceId ?? `bench-${process.pid}`,
      // Abuse limits, not capacity: setup creates hundreds of files on one connection, the
      // saturation ramp sends up to 50 edits/s per client, and idle-memory puts 10 connections on
      // one account. The limiter still runs on every call; it just never refuses.
      RATE_LIMIT_CONNECTION_PER_SEC: "100000",
      RATE_LIMIT_CONNECTION_BURST: "100000",
      RATE_LIMIT_USER_PER_SEC: "100000",
      RATE_LIMIT_USER_BURST: "100000",
    },
    readyWhen: (line) => line.includes("cohort server listening"),
    ...(options.nodeFlags ? { nodeFlags: options.nodeFlags } : {}),
  });
  return { ...server, url: String(server.info.url), wsUrl: String(server.info.wsUrl) };
}
