// Creates a migrated PostgreSQL database of its own for a test run, and drops it afterwards. Plain
// Node (no vitest), so the Playwright fixtures use it as well as the vitest global setup.
import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";

const repoRoot = path.resolve(import.meta.dirname, "..");

async function adminQuery(databaseUrl: string, sql: string) {
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** `<base database name>_<suffix>` next to `baseUrl`, created and migrated with the committed migrations. */
export async function createTestDatabase(baseUrl: string, suffix: string): Promise<TestDatabase> {
  const url = new URL(baseUrl);
  const name = `${url.pathname.slice(1) || "cohort"}_${suffix}`;
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await adminQuery(databaseUrl, `CREATE DATABASE "${name}"`);
  const drop = () => adminQuery(databaseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  try {
    execFileSync(process.execPath, ["--import", "tsx", "packages/db/src/cli/prisma.ts", "migrate", "deploy"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: "pipe",
    });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { url: databaseUrl, drop };
}
