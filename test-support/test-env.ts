import { inject } from "vitest";
import "./provided-context.js";

/** Where the real services of this machine are (the database named here is a template name). */
export function baseTestEnv() {
  return {
    databaseUrl: process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/cohort_test",
    redisUrl: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  };
}

/** Inside an integration test: this run's own database and the Redis its project runs against. */
export function testEnv() {
  return { databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl") };
}
