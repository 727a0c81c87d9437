// Where integration tests find the real services of this machine.
export function testEnv() {
  return {
    databaseUrl: process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/cohort_test",
    redisUrl: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  };
}
