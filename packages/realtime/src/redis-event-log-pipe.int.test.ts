import { describe, expect, it } from "vitest";
import { isResetItem, type LogItem } from "./log-item.js";
import type { LogSubscription } from "./log-subscription.js";
import { eventually, useRedisTestKit } from "./test/redis-test-kit.js";

const topic = "{l:7:p:8}:events";

/** Pipes `subscription` into an array; `calls` counts the sink's calls (a batch is one call). */
function collect(subscription: LogSubscription) {
  const items: LogItem[] = [];
  const sink = { items, calls: 0, ended: undefined as Promise<void> | undefined };
  sink.ended = subscription.pipe((batch) => {
    sink.calls++;
    items.push(...batch);
  });
  return sink;
}

/** Waits until `subscription` has read the stream's end and its reader waits for live events. */
async function untilParked(subscription: LogSubscription): Promise<void> {
  await subscription.ready();
  await eventually(() => (subscription as unknown as { cursor?: string }).cursor !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

const numbers = (items: LogItem[]) => items.map((item) => (item.event as { n: number }).n);

describe("TopicSubscription.pipe", () => {
  it("delivers the backfill first, then live events, in stream order and once each", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog({ backfillPageSize: 4 });
    const ids = await log.appendMany(topic, Array.from({ length: 10 }, (_, n) => ({ type: "n", n })));
    const subscription = log.subscribe(topic, { lastEventId: ids[0] });
    const sink = collect(subscription);
    await eventually(() => sink.items.length === 9);
    const later = await log.appendMany(topic, Array.from({ length: 5 }, (_, n) => ({ type: "n", n: 10 + n })));
    await eventually(() => sink.items.length === 14);
    expect(numbers(sink.items)).toEqual(Array.from({ length: 14 }, (_, n) => n + 1));
    expect(sink.items.map((item) => item.id)).toEqual([...ids.slice(1), ...later]);
    // A backfill page arrives as one call, not an item at a time.
    expect(sink.calls).toBeLessThan(14);
    await subscription.return();
    await sink.ended;
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
  });

  it("hands live events to the sinks in the pub/sub callback's turn once caught up, in subscription order", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const first = log.subscribe(topic);
    const second = log.subscribe(topic);
    const a = collect(first);
    // The hub calls its listeners one after the other in one callback, and each hands what it
    // took to its sink at the end of that turn: when the second sink gets an event, the first has
    // it already (and maybe the next, when two messages came in one read).
    const seenByFirstWhenSecondGot: number[] = [];
    const ended = second.pipe((batch) => {
      for (const _ of batch) seenByFirstWhenSecondGot.push(a.items.length);
    });
    await Promise.all([untilParked(first), untilParked(second)]);
    for (let n = 0; n < 20; n++) await log.append(topic, { type: "n", n });
    await eventually(() => seenByFirstWhenSecondGot.length === 20);
    seenByFirstWhenSecondGot.forEach((seen, n) => expect(seen).toBeGreaterThanOrEqual(n + 1));
    await Promise.all([first.return(), second.return(), ended, a.ended]);
  });

  it("hands the live events of one read of the subscriber connection to the sink as one call, in order", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const subscription = log.subscribe(topic);
    const sink = collect(subscription);
    await untilParked(subscription);
    // One script publishes all 30 messages at once: Redis writes them to the subscriber together.
    const ids = await log.appendMany(topic, Array.from({ length: 30 }, (_, n) => ({ type: "n", n })));
    await eventually(() => sink.items.length === 30);
    expect(sink.items.map((item) => item.id)).toEqual(ids);
    // One call per read (a large burst may span a few reads), not one per event.
    expect(sink.calls).toBeLessThanOrEqual(3);
    // A lone event still comes on its own, without waiting for company.
    await log.append(topic, { type: "n", n: 30 });
    await eventually(() => sink.items.length === 31);
    expect(sink.calls).toBeLessThanOrEqual(4);
    await subscription.return();
  });

  it("heals a gap: an entry whose pub/sub message never came is read from the stream, in order", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const subscription = log.subscribe(topic);
    const sink = collect(subscription);
    await subscription.ready();
    const one = await log.append(topic, { type: "n", n: 1 });
    await eventually(() => sink.items.length === 1);
    const unannounced = await kit.redis.xadd(kit.prefix + topic, "*", "p", one, "e", '{"type":"n","n":2}');
    const three = await log.append(topic, { type: "n", n: 3 });
    await eventually(() => sink.items.length === 3);
    expect(sink.items.map((item) => item.id)).toEqual([one, unannounced, three]);
    // Caught up again: later events still come (directly).
    await log.append(topic, { type: "n", n: 4 });
    await eventually(() => sink.items.length === 4);
    expect(numbers(sink.items)).toEqual([1, 2, 3, 4]);
    await subscription.return();
  });

  it("delivers what was appended while the subscriber connection was down", async () => {
    const kit = useRedisTestKit();
    const writer = kit.createLog();
    const reader = kit.createLog({}, { subscriberRetryMs: 300 });
    const subscription = reader.log.subscribe(topic);
    const sink = collect(subscription);
    await subscription.ready();
    await writer.log.append(topic, { type: "n", n: 0 });
    await eventually(() => sink.items.length === 1);
    await kit.killClient(reader.subscriberName);
    await writer.log.appendMany(topic, Array.from({ length: 5 }, (_, n) => ({ type: "n", n: n + 1 })));
    await eventually(() => sink.items.length === 6, { timeoutMs: 10_000 });
    await writer.log.append(topic, { type: "n", n: 6 });
    await eventually(() => sink.items.length === 7);
    expect(numbers(sink.items)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await subscription.return();
  });

  it("passes a reset when the log no longer reaches back to the cursor", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog({ maxLen: 5 });
    const ids = await log.appendMany(topic, Array.from({ length: 250 }, (_, n) => ({ type: "n", n })));
    const subscription = log.subscribe(topic, { lastEventId: ids[0] });
    const sink = collect(subscription);
    await eventually(() => sink.items.length === 1);
    expect(isResetItem(sink.items[0]!)).toBe(true);
    expect(sink.items[0]!.id).toBe(ids.at(-1));
    await subscription.return();
  });

  it("ends with what the sink threw, releasing the channel, and delivers nothing after", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const subscription = log.subscribe(topic);
    const got: number[] = [];
    const ended = subscription
      .pipe((batch) => {
        for (const item of batch) {
          got.push((item.event as { n: number }).n);
          if ((item.event as { n: number }).n === 2) throw new Error("revoked");
        }
      })
      .then(() => "ended without an error", (error: Error) => error.message);
    await subscription.ready();
    await eventually(() => subscription.cursor !== undefined);
    for (let n = 0; n < 5; n++) await log.append(topic, { type: "n", n });
    expect(await ended).toBe("revoked");
    expect(got).toEqual([0, 1, 2]);
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
  });

  it("resolves when its signal aborts, and refuses a second pipe", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const controller = new AbortController();
    const subscription = log.subscribe(topic, { signal: controller.signal });
    const sink = collect(subscription);
    await expect(subscription.pipe(() => undefined)).rejects.toThrow(/already piped/);
    await subscription.ready();
    controller.abort();
    await sink.ended;
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
  });
});
