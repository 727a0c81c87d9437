import { describe, expect, it } from "vitest";
import { RedisTokenBuckets } from "./redis-token-buckets.js";
import { useRedisTestKit } from "./test/redis-test-kit.js";

describe("RedisTokenBuckets", () => {
  it("gives a burst once, shared by every instance, then refills at the rate", async () => {
    const kit = useRedisTestKit();
    const [a, b] = [kit.connect(), kit.connect()].map((redis) => new RedisTokenBuckets({ redis, prefix: kit.prefix }));
    const limit = { ratePerSec: 20, burst: 10 };
    expect(await a!.take("u:1", limit, 6)).toBe(6);
    expect(await b!.take("u:1", limit, 6)).toBe(4);
    expect(await a!.take("u:1", limit, 6)).toBe(0);
    // Another bucket is untouched.
    expect(await b!.take("u:2", limit, 3)).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 260)); // ≥ 5 tokens at 20/s
    const refilled = await a!.take("u:1", limit, 10);
    expect(refilled).toBeGreaterThanOrEqual(5);
    expect(refilled).toBeLessThanOrEqual(10);
  });

  it("keeps one key per bucket in one cluster slot, expiring once it would be full again", async () => {
    const kit = useRedisTestKit();
    const buckets = new RedisTokenBuckets({ redis: kit.redis, prefix: kit.prefix });
    await buckets.take("u:9", { ratePerSec: 5, burst: 10 }, 1);
    const keys = await kit.redis.keys(`${kit.prefix}rate:*`);
    expect(keys).toEqual([`${kit.prefix}rate:{u:9}`]);
    const ttl = await kit.redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(2_000);
    expect(ttl).toBeLessThanOrEqual(3_000); // 10 tokens at 5/s, plus a second
  });
});
