import { describe, expect, it } from "vitest";
import { isResetItem, type LogItem } from "./log-item.js";
import { compareStreamIds } from "./stream-id.js";
import { take, useRedisTestKit } from "./test/redis-test-kit.js";

const topic = "{l:1:p:2}:events";

function expectStrictlyIncreasing(items: LogItem[]): void {
  for (let i = 1; i < items.length; i++) expect(compareStreamIds(items[i - 1]!.id, items[i]!.id)).toBeLessThan(0);
}

describe("RedisEventLog append and live delivery", () => {
  it("starts live: earlier events are not replayed", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    await log.append(topic, { type: "before" });
    const subscription = log.subscribe(topic);
    await subscription.ready();
    const id = await log.append(topic, { type: "after", n: 1 });
    const [item] = await take(subscription, 1);
    expect(item).toEqual({ id, event: { type: "after", n: 1 } });
    await subscription.return();
  });

  it("stores the event as one JSON field plus the link to the previous entry", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const first = await log.append(topic, { type: "a" });
    const [second, third] = await log.appendMany(topic, [{ type: "b" }, { type: "c" }]);
    const entries = await kit.redis.xrange(kit.prefix + topic, "-", "+");
    expect(entries).toEqual([
      [first, ["p", "0-0", "e", '{"type":"a"}']],
      [second, ["p", first, "e", '{"type":"b"}']],
      [third, ["p", second, "e", '{"type":"c"}']],
    ]);
  });

  it("refuses the reserved reset type", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    await expect(log.append(topic, { type: "reset" })).rejects.toThrow(TypeError);
  });

  it("delivers concurrent appends from two instances to subscribers on both, in stream order, once", async () => {
    const kit = useRedisTestKit();
    const a = kit.createLog();
    const b = kit.createLog();
    const subscriptions = [a.log.subscribe(topic), a.log.subscribe(topic), b.log.subscribe(topic)];
    await Promise.all(subscriptions.map((subscription) => subscription.ready()));

    const perInstance = 300;
    const appendAll = (instance: typeof a, name: string) =>
      Promise.all(Array.from({ length: perInstance }, (_, seq) => instance.log.append(topic, { type: "n", from: name, seq })));
    await Promise.all([appendAll(a, "a"), appendAll(b, "b")]);

    const stream = await kit.redis.xrange(kit.prefix + topic, "-", "+");
    const streamIds = stream.map(([id]) => id);
    expect(streamIds).toHaveLength(2 * perInstance);
    for (const subscription of subscriptions) {
      const items = await take(subscription, 2 * perInstance);
      expect(items.map((item) => item.id)).toEqual(streamIds);
      expect(items.some(isResetItem)).toBe(false);
      expectStrictlyIncreasing(items);
      for (const name of ["a", "b"]) {
        const seqs = items.map((item) => item.event as { from: string; seq: number }).filter((event) => event.from === name);
        // One connection per instance runs its scripts in the order they were sent.
        expect(seqs.map((event) => event.seq)).toEqual(Array.from({ length: perInstance }, (_, i) => i));
      }
      await subscription.return();
    }
  });

  it("keeps topics apart", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const other = "{l:1:p:3}:events";
    const subscription = log.subscribe(topic);
    await subscription.ready();
    await log.append(other, { type: "elsewhere" });
    const id = await log.append(topic, { type: "here" });
    expect(await take(subscription, 1)).toEqual([{ id, event: { type: "here" } }]);
    await subscription.return();
  });
});
