import { describe, expect, it } from "vitest";
import { isResetItem } from "./log-item.js";
import { take, useRedisTestKit } from "./test/redis-test-kit.js";

const topic = "{l:7}:inbox:3";

describe("RedisEventLog resume", () => {
  it("yields what was missed after lastEventId, then live events, across several pages", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog({ backfillPageSize: 7 });
    const ids = await log.appendMany(
      topic,
      Array.from({ length: 40 }, (_, n) => ({ type: "n", n })),
    );
    const subscription = log.subscribe(topic, { lastEventId: ids[9] });
    const backfill = await take(subscription, 30);
    expect(backfill.map((item) => item.id)).toEqual(ids.slice(10));
    expect(backfill[0]!.event).toEqual({ type: "n", n: 10 });
    const live = await log.append(topic, { type: "n", n: 40 });
    expect(await take(subscription, 1)).toEqual([{ id: live, event: { type: "n", n: 40 } }]);
    await subscription.return();
  });

  it("switches from backfill to live without loss or duplicates while appends continue", async () => {
    const kit = useRedisTestKit();
    const writer = kit.createLog();
    const reader = kit.createLog({ backfillPageSize: 10 });
    const [start] = await writer.log.appendMany(topic, [{ type: "n", n: -1 }]);
    const total = 400;
    const appending = (async () => {
      for (let n = 0; n < total; n++) await writer.log.append(topic, { type: "n", n });
    })();
    // Starts while the writer is mid-way, so the first pages race the live messages.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const subscription = reader.log.subscribe(topic, { lastEventId: start });
    const items = await take(subscription, total);
    await appending;
    expect(items.map((item) => (item.event as { n: number }).n)).toEqual(Array.from({ length: total }, (_, n) => n));
    const stream = await kit.redis.xrange(kit.prefix + topic, "(" + start!, "+");
    expect(items.map((item) => item.id)).toEqual(stream.map(([id]) => id));
    await subscription.return();
  });

  it("resumes with nothing missed when lastEventId is the newest id", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const id = await log.append(topic, { type: "a" });
    const subscription = log.subscribe(topic, { lastEventId: id });
    await subscription.ready();
    const next = await log.append(topic, { type: "b" });
    expect(await take(subscription, 1)).toEqual([{ id: next, event: { type: "b" } }]);
    await subscription.return();
  });

  it("replays the whole log from 0-0 while nothing has been trimmed", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const ids = await log.appendMany(topic, [{ type: "a" }, { type: "b" }]);
    const subscription = log.subscribe(topic, { lastEventId: "0-0" });
    expect((await take(subscription, 2)).map((item) => item.id)).toEqual(ids);
    await subscription.return();
  });

  it("yields a reset at the current end when the log was trimmed past lastEventId", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog({ maxLen: 5 });
    const ids = await log.appendMany(
      topic,
      Array.from({ length: 250 }, (_, n) => ({ type: "n", n })),
    );
    const first = await kit.redis.xrange(kit.prefix + topic, "-", "+", "COUNT", 1);
    expect(first[0]![0]).not.toBe(ids[1]); // approximate trimming did drop the early entries
    const subscription = log.subscribe(topic, { lastEventId: ids[0] });
    const [reset] = await take(subscription, 1);
    expect(reset).toEqual({ id: ids.at(-1), event: { type: "reset" } });
    const live = await log.append(topic, { type: "n", n: 250 });
    expect(await take(subscription, 1)).toEqual([{ id: live, event: { type: "n", n: 250 } }]);
    await subscription.return();
  });

  it("treats a malformed lastEventId as too old", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const head = await log.append(topic, { type: "a" });
    for (const lastEventId of ["garbage", "12", "1-2-3"]) {
      const subscription = log.subscribe(topic, { lastEventId });
      expect(await take(subscription, 1)).toEqual([{ id: head, event: { type: "reset" } }]);
      await subscription.return();
    }
  });

  it("resets to 0-0 when the stream is gone", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const id = await log.append(topic, { type: "a" });
    await kit.redis.del(kit.prefix + topic);
    const subscription = log.subscribe(topic, { lastEventId: id });
    const [reset] = await take(subscription, 1);
    expect(isResetItem(reset!)).toBe(true);
    expect(reset!.id).toBe("0-0");
    const next = await log.append(topic, { type: "b" });
    expect(await take(subscription, 1)).toEqual([{ id: next, event: { type: "b" } }]);
    await subscription.return();
  });

  it("resets when the stream was recreated, even though its new ids are larger", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const old = await log.append(topic, { type: "a" });
    await kit.redis.del(kit.prefix + topic);
    // A recreated stream restarts at "<now>-0"; within the same millisecond it would reuse `old`.
    await new Promise((resolve) => setTimeout(resolve, 3));
    const [, newer] = await log.appendMany(topic, [{ type: "lost" }, { type: "b" }]);
    const subscription = log.subscribe(topic, { lastEventId: old });
    expect(await take(subscription, 1)).toEqual([{ id: newer, event: { type: "reset" } }]);
    await subscription.return();
  });

  it("treats lastEventId '$' as live only", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    await log.append(topic, { type: "old" });
    const subscription = log.subscribe(topic, { lastEventId: "$" });
    await subscription.ready();
    const id = await log.append(topic, { type: "new" });
    expect(await take(subscription, 1)).toEqual([{ id, event: { type: "new" } }]);
    await subscription.return();
  });

  it("trims by age but keeps the newest entry", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog({ maxAgeMs: 1 });
    await log.appendMany(topic, Array.from({ length: 300 }, (_, n) => ({ type: "n", n })));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const last = await log.append(topic, { type: "last" });
    const length = await kit.redis.xlen(kit.prefix + topic);
    expect(length).toBeLessThan(301);
    const newest = await kit.redis.xrevrange(kit.prefix + topic, "+", "-", "COUNT", 1);
    expect(newest[0]![0]).toBe(last);
  });
});
