// Integration tests get a database of their own per run (dropped at the end) and their own Redis
// key prefix, so runs never see or break each other's data, or a developer's `npm start`.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { TestProject } from "vitest/node";
import pg from "pg";
import { baseTestEnv } from "./test-env.js";
import "./provided-context.js";

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

export default async function setup(project: TestProject) {
  const base = baseTestEnv();
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const url = new URL(base.databaseUrl);
  const dbName = `${url.pathname.slice(1)}_${runId}`;
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  await adminQuery(databaseUrl, `CREATE DATABASE "${dbName}"`);
  const root = path.resolve(import.meta.dirname, "..");
  execFileSync(process.execPath, ["--import", "tsx", "packages/db/src/cli/prisma.ts", "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "pipe",
  });
  project.provide("databaseUrl", databaseUrl);
  project.provide("redisPrefix", `cohort-test:${runId}:`);
  return async () => {
    await adminQuery(databaseUrl, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  };
}
