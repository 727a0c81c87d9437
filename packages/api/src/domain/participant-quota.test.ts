import { describe, expect, it } from "vitest";
import type { TokenBucketsPort } from "../ports.js";
import { ParticipantQuota } from "./participant-quota.js";

/** One shared token bucket per name, as the Redis adapter keeps them, on a clock the test moves. */
function sharedBuckets(clock: { now: number }) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let calls = 0;
  let failing = false;
  const port: TokenBucketsPort = {
    async take(name, { ratePerSec, burst }, want) {
      calls++;
      if (failing) throw new Error("Redis is away");
      const bucket = buckets.get(name) ?? { tokens: burst, at: clock.now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((clock.now - bucket.at) / 1000) * ratePerSec);
      bucket.at = clock.now;
      const granted = Math.min(want, Math.floor(bucket.tokens));
      bucket.tokens -= granted;
      buckets.set(name, bucket);
      return granted;
    },
  };
  return { port, calls: () => calls, fail: (on: boolean) => (failing = on) };
}

async function takeMany(quota: ParticipantQuota, userId: number, n: number): Promise<number> {
  const results = await Promise.all(Array.from({ length: n }, () => quota.take(userId)));
  return results.filter(Boolean).length;
}

describe("ParticipantQuota", () => {
  const limit = { ratePerSec: 10, burst: 20 };

  it("holds a participant to one budget over several instances", async () => {
    const clock = { now: 0 };
    const shared = sharedBuckets(clock);
    const instances = [1, 2, 3].map(() => new ParticipantQuota({ buckets: shared.port, limit, leaseSize: 2, now: () => clock.now }));
    const granted = (await Promise.all(instances.map((q) => takeMany(q, 7, 30)))).reduce((a, b) => a + b, 0);
    expect(granted).toBe(20);
    // Another participant has a budget of their own.
    expect(await takeMany(instances[0]!, 8, 5)).toBe(5);
  });

  it("spends a lease without a round trip per call, asks once for a whole burst, refills with time", async () => {
    const clock = { now: 0 };
    const shared = sharedBuckets(clock);
    const quota = new ParticipantQuota({ buckets: shared.port, limit, leaseSize: 5, now: () => clock.now });
    for (let i = 0; i < 5; i++) expect(await quota.take(1)).toBe(true);
    expect(shared.calls()).toBe(2); // the first lease, and its renewal ahead once it ran low
    // 20 calls at once: one request for all of them; 15 tokens are left, so 5 are refused.
    expect(await takeMany(quota, 1, 20)).toBe(15);
    expect(shared.calls()).toBeLessThanOrEqual(4); // with renewals ahead
    expect(await quota.take(1)).toBe(false);
    clock.now += 1_000; // 10 tokens back
    expect(await takeMany(quota, 1, 15)).toBe(10);
  });

  it("drops unspent leased tokens after leaseMs, so an idle instance hoards nothing", async () => {
    const clock = { now: 0 };
    const shared = sharedBuckets(clock);
    const a = new ParticipantQuota({ buckets: shared.port, limit: { ratePerSec: 1, burst: 4 }, leaseSize: 4, leaseMs: 500, now: () => clock.now });
    const b = new ParticipantQuota({ buckets: shared.port, limit: { ratePerSec: 1, burst: 4 }, leaseSize: 4, leaseMs: 500, now: () => clock.now });
    expect(await a.take(1)).toBe(true); // a leases all 4 and spends one
    expect(await b.take(1)).toBe(false);
    clock.now += 600; // a's 3 unspent tokens lapse; the bucket has refilled 0.6 of a token
    expect(await a.take(1)).toBe(false);
    clock.now += 500;
    expect(await b.take(1)).toBe(true);
  });

  it("costs a steady caller a round trip per few calls, not one per call", async () => {
    const clock = { now: 0 };
    const shared = sharedBuckets(clock);
    const quota = new ParticipantQuota({ buckets: shared.port, limit: { ratePerSec: 60, burst: 120 }, now: () => clock.now }); // leases of 6
    // Two calls a second for 30 s: the lease outlives its 1 s while the participant keeps calling.
    for (let call = 0; call < 60; call++) {
      expect(await quota.take(1)).toBe(true);
      await new Promise((resolve) => setImmediate(resolve)); // let a renewal ahead settle
      clock.now += 500;
    }
    // A refill whenever fewer than 3 tokens are left: about one per 6 calls (60 with renewal by time).
    expect(shared.calls()).toBeLessThanOrEqual(12);
    // The participant stops calling here: the lease lapses a leaseMs later, hoarding nothing.
    clock.now += 1_000;
    const before = shared.calls();
    expect(await quota.take(1)).toBe(true);
    expect(shared.calls()).toBe(before + 1);
  });

  it("lets calls through while the shared buckets are away, asking again only after retryMs", async () => {
    const clock = { now: 0 };
    const shared = sharedBuckets(clock);
    const problems: unknown[] = [];
    const quota = new ParticipantQuota({ buckets: shared.port, limit, leaseSize: 2, retryMs: 1_000, now: () => clock.now, onUnavailable: (e) => problems.push(e) });
    shared.fail(true);
    expect(await takeMany(quota, 1, 50)).toBe(50);
    expect(shared.calls()).toBe(1);
    expect(problems).toHaveLength(1);
    shared.fail(false);
    clock.now += 1_001;
    expect(await quota.take(1)).toBe(true);
    expect(shared.calls()).toBe(2);
  });

  it("renews a steady caller's lease ahead, so no call after the first waits for a refill", async () => {
    const clock = { now: 0 };
    const unanswered: (() => void)[] = [];
    const buckets: TokenBucketsPort = { take: (_name, _limit, want) => new Promise((resolve) => unanswered.push(() => resolve(want))) };
    const quota = new ParticipantQuota({ buckets, limit: { ratePerSec: 60, burst: 120 }, now: () => clock.now }); // leases of 6 for 1 s
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const answerAll = async () => {
      await settle(); // refills are asked for a microtask after the call
      for (let answer = unanswered.shift(); answer; answer = unanswered.shift()) answer();
      await settle();
    };
    /** The call's outcome if it came without any refill being answered, else "waited". */
    const unaided = (call: Promise<boolean>) => Promise.race([call, new Promise<string>((resolve) => setImmediate(() => resolve("waited")))]);

    const first = quota.take(1);
    await answerAll();
    expect(await first).toBe(true);
    // Two calls a second for ten seconds (the lease alone would lapse at every other call).
    for (let call = 0; call < 20; call++) {
      clock.now += 500;
      expect(await unaided(quota.take(1))).toBe(true);
      await answerAll();
    }
    // Six calls at once spend the lease and wait for a refill like before.
    const burst = Array.from({ length: 12 }, () => quota.take(1));
    await answerAll();
    await answerAll();
    expect((await Promise.all(burst)).every(Boolean)).toBe(true);
  });
});
