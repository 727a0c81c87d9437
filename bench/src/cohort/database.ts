import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { repoRoot } from "../env.js";

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const url = new URL(adminUrl);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one bench run (as the integration tests' global setup makes one): created,
 * migrated with the committed migrations, dropped at the end.
 */
export async function createBenchDatabase(adminUrl: string, runId: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cohort_bench_${runId.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  execFileSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "packages/db/src/cli/prisma.ts"), "migrate", "deploy"], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: "pipe",
  });
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
