// Setup file of the cluster project. Its suites were written for one Redis and pass there too, so
// a suite whose servers reached the single Redis (or that started none) would pass here proving
// nothing about the cluster.
import { Cluster } from "ioredis";
import { afterAll, expect } from "vitest";
import { appsStarted } from "./test-app.js";

afterAll(() => {
  const apps = appsStarted();
  expect(apps.length, "servers this file started").toBeGreaterThan(0);
  for (const app of apps) expect(app.redis, "a server's Redis client").toBeInstanceOf(Cluster);
});
