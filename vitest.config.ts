import { configDefaults, defineConfig } from "vitest/config";

// The suites that run a second time against a 3-master Redis Cluster (the cluster project), and
// the file of checks that only make sense there.
const onClusterOnly = "apps/server/test/redis-cluster.int.test.ts";
const clusterSuites = [
  "apps/server/test/edits-convergence.int.test.ts",
  "apps/server/test/presence.int.test.ts",
  "apps/server/test/files-procedures.int.test.ts",
  "apps/server/test/files-permissions.int.test.ts",
  "apps/server/test/files-backup.int.test.ts",
  "apps/server/test/files-read-many.int.test.ts",
  onClusterOnly,
];

// Three projects: fast unit tests of pure logic; integration tests against the real Redis,
// PostgreSQL and S3-compatible server of this machine (*.int.test.ts and apps/*/test); and the
// cluster project, some of those suites again on a Redis Cluster the run starts for itself.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "scripts/**/*.test.ts", "bench/src/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["packages/*/src/**/*.int.test.ts", "apps/*/test/**/*.int.test.ts", "bench/src/**/*.int.test.ts"],
          exclude: [...configDefaults.exclude, onClusterOnly],
          globalSetup: ["test-support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two cores: run a few files at once; every test makes its own course/lesson data.
          maxWorkers: 3,
        },
      },
      {
        test: {
          name: "cluster",
          sequence: { groupOrder: 2 },
          include: clusterSuites,
          globalSetup: ["test-support/cluster-global-setup.ts"],
          setupFiles: ["apps/server/test/support/expect-cluster-redis.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
