import { afterEach, describe, expect, it } from "vitest";
import type { EventLogPort } from "@cohort/api";
import type { Redis } from "ioredis";
import { RedisMonitor } from "./redis-monitor.js";

/** Just the sorted-set and hash commands the monitor uses, in memory. */
function fakeRedis() {
  const zsets = new Map<string, Map<string, number>>();
  const hashes = new Map<string, Map<string, string>>();
  const zset = (key: string) => zsets.get(key) ?? zsets.set(key, new Map()).get(key)!;
  const hash = (key: string) => hashes.get(key) ?? hashes.set(key, new Map()).get(key)!;
  const redis = {
    zadd: async (key: string, score: number, member: string) => void zset(key).set(member, score),
    zrem: async (key: string, member: string) => void zset(key).delete(member),
    zrangebyscore: async (key: string, min: number) => [...zset(key)].filter(([, score]) => score >= min).map(([m]) => m),
    zremrangebyscore: async (key: string, _min: string, max: number) => {
      for (const [member, score] of zset(key)) if (score <= max) zset(key).delete(member);
    },
    hset: async (key: string, field: string, value: string) => void hash(key).set(field, value),
    hgetall: async (key: string) => Object.fromEntries(hash(key)),
    hdel: async (key: string, ...fields: string[]) => fields.forEach((f) => hash(key).delete(f)),
  };
  return redis as unknown as Redis;
}

function fakeEvents() {
  const appended: { topic: string; event: Record<string, unknown> }[] = [];
  const events = {
    append: async (topic: string, event: object) => {
      appended.push({ topic, event: event as Record<string, unknown> });
      return String(appended.length);
    },
    subscribe: () => {
      throw new Error("not used");
    },
  } as unknown as EventLogPort;
  return { events, appended };
}

const logger = { info: () => {}, warn: () => {}, error: () => {} };
const monitors: RedisMonitor[] = [];
afterEach(() => monitors.splice(0).forEach((m) => m.stop()));

function setup(options: { maxTracesPerSec?: number; now?: () => number } = {}) {
  const redis = fakeRedis();
  const { events, appended } = fakeEvents();
  const make = (instanceId: string) => {
    const monitor = new RedisMonitor({ redis, events, prefix: "t:", instanceId, logger, refreshMs: 10_000, ...options });
    monitors.push(monitor);
    return monitor;
  };
  return { make, appended };
}

const message = (trace?: object) => ({ event: "cursor", from: 1, to: 2, trace, size: 0 });

describe("RedisMonitor", () => {
  it("records nothing for lessons nobody watches", async () => {
    const { make, appended } = setup();
    const monitor = make("a");
    monitor.start();
    for (let i = 0; i < 100; i++) monitor.record(7, message({ id: `x${i}`, t1: 1, t2: 2 }));
    await Promise.resolve();
    expect(appended).toEqual([]);
  });

  it("traces a watched lesson on every instance, with the stamps and the instance", async () => {
    const { make, appended } = setup();
    const watcher = make("a");
    const other = make("b");
    const controller = new AbortController();
    await watcher.watch(7, { sampleRate: 1, signal: controller.signal });
    other.start(); // reads the watch registration from Redis
    await new Promise((resolve) => setTimeout(resolve, 5));
    other.record(7, message({ id: "probe", t1: 100, t2: 105 }));
    other.record(8, message({ id: "other lesson" }));
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({ topic: "{l:7}:monitor", event: { type: "trace", id: "probe", instance: "b", t1: 100, t2: 105, event: "cursor" } });
    expect((appended[0]!.event.t3 as number) >= 105).toBe(true);
    // The watch ends: its registration goes, and the next refresh (a restart refreshes at once) forgets the lesson.
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 5));
    other.stop();
    other.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    other.record(7, message({ id: "after" }));
    expect(appended).toHaveLength(1);
  });

  it("keeps at most maxTracesPerSec per second and reports how many it dropped", async () => {
    let now = 1_000_000;
    const { make, appended } = setup({ maxTracesPerSec: 3, now: () => now });
    const monitor = make("a");
    await monitor.watch(7, { sampleRate: 1, signal: new AbortController().signal });
    for (let i = 0; i < 10; i++) monitor.record(7, message());
    now += 1_000;
    monitor.record(7, message());
    const traces = appended.filter((a) => a.event.type === "trace");
    const notices = appended.filter((a) => a.event.type === "sampling");
    expect(traces).toHaveLength(4);
    expect(notices.map((n) => n.event)).toEqual([{ type: "sampling", instance: "a", kept: 3, dropped: 7, windowMs: 1_000, at: 1_000_000 }]);
  });

  it("lists instances whose heartbeat is recent", async () => {
    let now = 50_000;
    const { make } = setup({ now: () => now });
    const monitor = make("a");
    const beat = (instanceId: string, at: number) => monitor.beat({ instanceId, connections: 1, messagesInPerSec: 0, messagesOutPerSec: 0, startedAt: 0, at });
    await beat("a", 49_000);
    await beat("gone", 30_000);
    expect((await monitor.instances()).map((i) => i.instanceId)).toEqual(["a"]);
    now = 100_000;
    await monitor.forget({ olderThanMs: 60_000 });
    await monitor.forget({ instanceId: "a" });
    now = 50_000;
    expect(await monitor.instances()).toEqual([]);
  });
});
