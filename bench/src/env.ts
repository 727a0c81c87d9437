import path from "node:path";

/** Where the bench lives and what it talks to. Only loopback services: nothing leaves the machine. */
export const benchRoot = path.resolve(import.meta.dirname, "..");
export const repoRoot = path.resolve(benchRoot, "..");
export const resultsDir = path.join(benchRoot, "results");

export interface BenchEnv {
  /** Redis used by Socket.IO's adapter, Hocuspocus's extension and Cohort. */
  redisUrl: string;
  /** A PostgreSQL URL whose server may create the bench's own database (trust auth here). */
  databaseUrl: string;
}

export function readBenchEnv(source: NodeJS.ProcessEnv = process.env): BenchEnv {
  const redisUrl = source.BENCH_REDIS_URL || "redis://127.0.0.1:6379";
  const databaseUrl = source.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  for (const url of [redisUrl, databaseUrl]) {
    const host = new URL(url).hostname;
    if (host !== "127.0.0.1" && host !== "localhost" && host !== "::1") {
      throw new TypeError(`The bench only talks to loopback services; refusing ${url}`);
    }
  }
  return { redisUrl, databaseUrl };
}
