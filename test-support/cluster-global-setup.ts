// The cluster project runs suites written for one Redis against a 3-master Redis Cluster of its
// own: the usual database and key prefix, and the cluster's URL in place of the shared Redis.
import type { TestProject } from "vitest/node";
import setupRun from "./global-setup.js";
import { startRedisCluster } from "./redis-cluster.js";

export default async function setup(project: TestProject) {
  const dropDatabase = await setupRun(project);
  const cluster = await startRedisCluster().catch(async (error: unknown) => {
    await dropDatabase();
    throw error;
  });
  project.provide("redisUrl", cluster.url);
  return async () => {
    await cluster.stop();
    await dropDatabase();
  };
}
