// Integration tests get a database of their own per run (dropped at the end) and their own Redis
// key prefix, so runs never see or break each other's data, or a developer's `npm start`.
import type { TestProject } from "vitest/node";
import { createTestDatabase } from "./test-database.js";
import { baseTestEnv } from "./test-env.js";
import "./provided-context.js";

export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const database = await createTestDatabase(baseTestEnv().databaseUrl, runId);
  project.provide("databaseUrl", database.url);
  project.provide("redisPrefix", `cohort-test:${runId}:`);
  project.provide("redisUrl", baseTestEnv().redisUrl);
  return () => database.drop();
}
