import { describe, expect, it } from "vitest";
import { SlowConsumerError } from "./slow-consumer-error.js";
import { eventually, take, useRedisTestKit, type RedisTestKit } from "./test/redis-test-kit.js";

const topic = "{l:3:p:4}:events";

async function subscribersOnRedis(kit: RedisTestKit, name = topic): Promise<number> {
  const [, count] = (await kit.redis.pubsub("NUMSUB", `${kit.prefix}${name}:ch`)) as [string, number];
  return Number(count);
}

describe("RedisEventLog subscription lifecycle", () => {
  it("fails a consumer that falls too far behind and releases its channel", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog({ maxBufferedPerSubscriber: 10 });
    const subscription = log.subscribe(topic);
    await subscription.ready();
    await log.appendMany(
      topic,
      Array.from({ length: 30 }, (_, n) => ({ type: "n", n })),
    );
    await eventually(() => expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 }));
    const error: unknown = await subscription.next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlowConsumerError);
    expect(error).toMatchObject({ code: "SLOW_CONSUMER", topic, maxBuffered: 10 });
    expect(await subscription.next()).toEqual({ done: true, value: undefined });
    await eventually(async () => expect(await subscribersOnRedis(kit)).toBe(0));
  });

  it("leaves a consumer that keeps up alone", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog({ maxBufferedPerSubscriber: 10 });
    const subscription = log.subscribe(topic);
    await subscription.ready();
    for (let n = 0; n < 30; n++) {
      await log.append(topic, { type: "n", n });
      await take(subscription, 1);
    }
    expect(log.stats()).toEqual({ channels: 1, subscriptions: 1 });
    await subscription.return();
  });

  it("ends a waiting subscription at once when its signal aborts, and unsubscribes", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const controller = new AbortController();
    const subscription = log.subscribe(topic, { signal: controller.signal });
    await subscription.ready();
    expect(await subscribersOnRedis(kit)).toBe(1);
    const pending = subscription.next();
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
    await eventually(async () => expect(await subscribersOnRedis(kit)).toBe(0));
  });

  it("does nothing for a signal that is already aborted", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const subscription = log.subscribe(topic, { signal: AbortSignal.abort() });
    expect(await subscription.next()).toEqual({ done: true, value: undefined });
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
  });

  it("ends on return(), even while a next() is waiting", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const subscription = log.subscribe(topic);
    await subscription.ready();
    const pending = subscription.next();
    await subscription.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
  });

  it("never subscribes once returned before it started", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const subscription = log.subscribe(topic);
    await subscription.return();
    await subscription.ready();
    expect(await subscription.next()).toEqual({ done: true, value: undefined });
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
  });

  it("unsubscribes when a for-await loop breaks", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const subscription = log.subscribe(topic);
    await subscription.ready();
    await log.append(topic, { type: "a" });
    for await (const item of subscription) {
      expect(item.event).toEqual({ type: "a" });
      break;
    }
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
    await eventually(async () => expect(await subscribersOnRedis(kit)).toBe(0));
  });

  it("shares one channel between local subscriptions, ref-counted", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const first = log.subscribe(topic);
    const second = log.subscribe(topic);
    const other = log.subscribe("{l:3}:presence");
    await Promise.all([first.ready(), second.ready(), other.ready()]);
    expect(log.stats()).toEqual({ channels: 2, subscriptions: 3 });
    expect(await subscribersOnRedis(kit)).toBe(1);

    await first.return();
    expect(log.stats()).toEqual({ channels: 2, subscriptions: 2 });
    const id = await log.append(topic, { type: "still-there" });
    expect(await take(second, 1)).toEqual([{ id, event: { type: "still-there" } }]);

    await second.return();
    await other.return();
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
    await eventually(async () => expect(await subscribersOnRedis(kit)).toBe(0));

    // Subscribing again after the last one left works (UNSUBSCRIBE then SUBSCRIBE, in order).
    const again = log.subscribe(topic);
    await again.ready();
    const next = await log.append(topic, { type: "again" });
    expect(await take(again, 1)).toEqual([{ id: next, event: { type: "again" } }]);
    await again.return();
  });

  it("survives rapid subscribe/unsubscribe churn on one channel", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    for (let round = 0; round < 20; round++) {
      const subscription = log.subscribe(topic);
      void subscription.ready();
      await subscription.return();
    }
    const survivor = log.subscribe(topic);
    await survivor.ready();
    expect(await subscribersOnRedis(kit)).toBe(1);
    const id = await log.append(topic, { type: "x" });
    expect(await take(survivor, 1)).toEqual([{ id, event: { type: "x" } }]);
    await survivor.return();
  });

  it("ignores foreign messages on its channel", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const subscription = log.subscribe(topic);
    await subscription.ready();
    await kit.redis.publish(`${kit.prefix}${topic}:ch`, "not a log entry");
    const id = await log.append(topic, { type: "real" });
    expect(await take(subscription, 1)).toEqual([{ id, event: { type: "real" } }]);
    await subscription.return();
  });

  it("releases its channel when a read fails", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    await kit.redis.set(kit.prefix + topic, "not a stream");
    const subscription = log.subscribe(topic, { lastEventId: "0-0" });
    await expect(subscription.next()).rejects.toThrow(/WRONGTYPE/);
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
    expect(await subscription.next()).toEqual({ done: true, value: undefined });
  });

  it("ends every subscription on close()", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const subscription = log.subscribe(topic);
    await subscription.ready();
    const pending = subscription.next();
    await log.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    await expect(log.subscribe(topic).next()).rejects.toThrow(/closed/);
  });
});
