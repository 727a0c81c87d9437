import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { resolvePresenceOptions, type RedisPresenceOptions } from "./presence-options.js";
import type { RedisEventLog } from "./redis-event-log.js";

const base: RedisPresenceOptions = {
  redis: {} as Redis,
  log: {} as RedisEventLog,
  prefix: "cohort:",
  instanceId: "i-1",
};

describe("resolvePresenceOptions", () => {
  it("defaults to a 30 s TTL, 10 s heartbeats and sweeps every TTL / 3", () => {
    expect(resolvePresenceOptions(base)).toMatchObject({ ttlMs: 30_000, heartbeatMs: 10_000, sweepMs: 10_000 });
  });

  it("derives heartbeat and sweep periods from a short TTL", () => {
    expect(resolvePresenceOptions({ ...base, ttlMs: 600 })).toMatchObject({ ttlMs: 600, heartbeatMs: 200, sweepMs: 200 });
  });

  it("keeps the connection set alive well past ttl + sweep", () => {
    const { keyTtlMs, ttlMs, sweepMs } = resolvePresenceOptions({ ...base, ttlMs: 1_000, sweepMs: 5_000 });
    expect(keyTtlMs).toBeGreaterThan(2 * (ttlMs + sweepMs));
  });

  it.each([
    { ttlMs: 0 },
    { heartbeatMs: 30_000 },
    { ttlMs: 1_000, heartbeatMs: 2_000 },
    { sweepMs: 0.5 },
    { instanceId: "" },
    { instanceId: "a|b" },
    { prefix: "{x}" },
  ])("rejects %j", (bad) => {
    expect(() => resolvePresenceOptions({ ...base, ...bad })).toThrow(TypeError);
  });
});
