import { defineConfig } from "vitest/config";

// Two projects: fast unit tests of pure logic, and integration tests against the real Redis,
// PostgreSQL and S3-compatible server of this machine (*.int.test.ts and apps/*/test).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["packages/*/src/**/*.int.test.ts", "apps/*/test/**/*.int.test.ts", "bench/src/**/*.int.test.ts"],
          globalSetup: ["test-support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two cores: run a few files at once; every test makes its own course/lesson data.
          maxWorkers: 3,
        },
      },
    ],
  },
});
