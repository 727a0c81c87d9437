import { afterAll, describe, expect, it } from "vitest";
import { acquireLock, extendLock, releaseLock, withLock } from "./lock.js";
import { createTestRedis, testPrefix } from "./test/redis-test-context.js";
import { randomUUID } from "node:crypto";

const redis = createTestRedis();
const key = () => `${testPrefix()}lock-test:${randomUUID()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(() => {
  redis.disconnect();
});

describe("Redis lock", () => {
  it("has one holder; only the holder's token releases or extends it", async () => {
    const k = key();
    const token = await acquireLock(redis, k, 10_000);
    expect(token).toBeTypeOf("string");
    expect(await acquireLock(redis, k, 10_000)).toBeNull();
    expect(await releaseLock(redis, k, "not-the-token")).toBe(false);
    expect(await extendLock(redis, k, "not-the-token", 10_000)).toBe(false);
    expect(await extendLock(redis, k, token as string, 20_000)).toBe(true);
    expect(await redis.pttl(k)).toBeGreaterThan(10_000);
    expect(await releaseLock(redis, k, token as string)).toBe(true);
    expect(await acquireLock(redis, k, 10_000)).not.toBeNull();
  });

  it("expires when its holder dies", async () => {
    const k = key();
    await acquireLock(redis, k, 50);
    await sleep(80);
    expect(await acquireLock(redis, k, 50)).not.toBeNull();
  });

  it("is renewed while the work runs and released after, even on failure", async () => {
    const k = key();
    const outcome = await withLock(redis, k, { ttlMs: 300 }, async () => {
      await sleep(1_000);
      expect(await acquireLock(redis, k, 300)).toBeNull();
      return 42;
    });
    expect(outcome).toEqual({ acquired: true, value: 42 });
    expect(await redis.exists(k)).toBe(0);
    await expect(withLock(redis, k, { ttlMs: 1000 }, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await redis.exists(k)).toBe(0);
    await acquireLock(redis, k, 1000);
    expect(await withLock(redis, k, { ttlMs: 1000 }, async () => 1)).toEqual({ acquired: false });
  });
});
