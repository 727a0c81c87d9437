import { describe, expect, it } from "vitest";
import { isResetItem, type LogItem } from "./log-item.js";
import { eventually, take, useRedisTestKit } from "./test/redis-test-kit.js";

const topics = ["{l:5:p:6}:events", "{l:5}:presence"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("RedisEventLog after the subscriber connection drops", () => {
  it("loses and duplicates nothing when the connection is killed during appends", async () => {
    const kit = useRedisTestKit();
    const writer = kit.createLog();
    const reader = kit.createLog();
    const subscriptions = topics.map((topic) => reader.log.subscribe(topic));
    await Promise.all(subscriptions.map((subscription) => subscription.ready()));

    const total = 600;
    let appended = 0;
    const appending = (async () => {
      for (; appended < total; appended++) {
        const n = appended;
        await Promise.all(topics.map((topic) => writer.log.append(topic, { type: "n", n })));
        if (n % 10 === 0) await sleep(2); // spread the appends so that the kills land mid-stream
      }
    })();
    const killedAt: number[] = [];
    for (const threshold of [100, 250, 400]) {
      await eventually(() => appended >= threshold, { timeoutMs: 20_000 });
      await eventually(() => kit.killClient(reader.subscriberName)); // once it has reconnected
      killedAt.push(appended);
    }
    const received = await Promise.all(subscriptions.map((subscription) => take(subscription, total, 30_000)));
    await appending;

    expect(killedAt.every((n) => n < total)).toBe(true);
    for (const [index, topic] of topics.entries()) {
      const items: LogItem[] = received[index]!;
      expect(items.some(isResetItem)).toBe(false);
      expect(items.map((item) => (item.event as { n: number }).n)).toEqual(Array.from({ length: total }, (_, n) => n));
      const stream = await kit.redis.xrange(kit.prefix + topic, "-", "+");
      expect(items.map((item) => item.id)).toEqual(stream.map(([id]) => id));
      await subscriptions[index]!.return();
    }
    expect(reader.log.stats()).toEqual({ channels: 0, subscriptions: 0 });
  });

  it("backfills what was appended while it was disconnected, with no later event to notice the gap", async () => {
    const kit = useRedisTestKit();
    const writer = kit.createLog();
    const reader = kit.createLog({}, { subscriberRetryMs: 300 });
    const subscription = reader.log.subscribe(topics[0]!);
    await subscription.ready();
    const before = await writer.log.append(topics[0]!, { type: "before" });
    expect(await take(subscription, 1)).toEqual([{ id: before, event: { type: "before" } }]);

    await kit.killClient(reader.subscriberName);
    const missed = await writer.log.appendMany(
      topics[0]!,
      Array.from({ length: 5 }, (_, n) => ({ type: "missed", n })),
    );
    const items = await take(subscription, 5);
    expect(items.map((item) => item.id)).toEqual(missed);
    await subscription.return();
  });

  it("re-reads the stream when a live message does not follow the last one it yielded", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const topic = topics[0]!;
    const subscription = log.subscribe(topic);
    await subscription.ready();
    const first = await log.append(topic, { type: "first" });
    expect(await take(subscription, 1)).toEqual([{ id: first, event: { type: "first" } }]);

    // An entry whose pub/sub message never arrives, as if dropped in transit.
    const unannounced = await kit.redis.xadd(kit.prefix + topic, "*", "p", first, "e", '{"type":"unannounced"}');
    const third = await log.append(topic, { type: "third" });
    expect(await take(subscription, 2)).toEqual([
      { id: unannounced, event: { type: "unannounced" } },
      { id: third, event: { type: "third" } },
    ]);
    await subscription.return();
  });
});
