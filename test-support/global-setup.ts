// Integration tests get a fresh database and their own Redis key prefix per run, so they never
// see (or break) a developer's data and can be run while `npm start` is up.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { TestProject } from "vitest/node";
import pg from "pg";
import { testEnv } from "./test-env.js";

export default async function setup(project: TestProject) {
  const env = testEnv();
  const url = new URL(env.databaseUrl);
  const dbName = url.pathname.slice(1);
  const admin = new URL(env.databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${dbName}"`);
  await client.end();
  const root = path.resolve(import.meta.dirname, "..");
  execFileSync("npx", ["tsx", "packages/db/src/cli/prisma.ts", "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: env.databaseUrl },
    stdio: "pipe",
  });
  project.provide("redisPrefix", `cohort-test:${Date.now().toString(36)}:`);
}

declare module "vitest" {
  export interface ProvidedContext {
    redisPrefix: string;
  }
}
