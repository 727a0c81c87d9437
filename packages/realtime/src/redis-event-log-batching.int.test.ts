import { describe, expect, it } from "vitest";
import type { LogItem } from "./log-item.js";
import type { LogSubscription } from "./log-subscription.js";
import { take, useRedisTestKit } from "./test/redis-test-kit.js";

const topic = "{l:3:p:4}:events";

/** Everything `takeBuffered` hands out right now. */
function drain(subscription: LogSubscription): LogItem[] {
  const items: LogItem[] = [];
  for (let item = subscription.takeBuffered(); item; item = subscription.takeBuffered()) items.push(item);
  return items;
}

describe("TopicSubscription.takeBuffered", () => {
  it("hands out the live events queued behind the last one, in order, then nothing", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const subscription = log.subscribe(topic);
    // A second subscription on the same connection: once it has seen every event, the hub has
    // handed every event to the first one too (it dispatches to all listeners at once).
    const witness = log.subscribe(topic);
    await Promise.all([subscription.ready(), witness.ready()]);
    expect(subscription.takeBuffered()).toBeUndefined();
    const ids = await log.appendMany(topic, Array.from({ length: 6 }, (_, n) => ({ type: "n", n })));
    await take(witness, 6);
    const [first] = await take(subscription, 1);
    expect(first).toEqual({ id: ids[0], event: { type: "n", n: 0 } });
    expect(drain(subscription)).toEqual(ids.slice(1).map((id, i) => ({ id, event: { type: "n", n: i + 1 } })));
    expect(subscription.cursor).toBe(ids[5]);
    const later = await log.append(topic, { type: "n", n: 6 });
    expect(await take(subscription, 1)).toEqual([{ id: later, event: { type: "n", n: 6 } }]);
    await Promise.all([subscription.return(), witness.return()]);
  });

  it("takes the rest of a backfill page, and only what follows the cursor", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog({ backfillPageSize: 4 });
    const ids = await log.appendMany(topic, Array.from({ length: 10 }, (_, n) => ({ type: "n", n })));
    const subscription = log.subscribe(topic, { lastEventId: ids[0] });
    const [first] = await take(subscription, 1);
    expect(first!.id).toBe(ids[1]);
    // The page held ids 1..4: the three behind the first come at once, the next page needs a read.
    expect(drain(subscription).map((item) => item.id)).toEqual(ids.slice(2, 5));
    const [next] = await take(subscription, 1);
    expect(next!.id).toBe(ids[5]);
    expect(drain(subscription).map((item) => item.id)).toEqual(ids.slice(6, 9));
    expect(subscription.cursor).toBe(ids[8]);
    await subscription.return();
  });

  it("leaves a reset to next()", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog({ maxLen: 5 });
    const ids = await log.appendMany(topic, Array.from({ length: 250 }, (_, n) => ({ type: "n", n })));
    const subscription = log.subscribe(topic, { lastEventId: ids[0] });
    await subscription.ready();
    expect(subscription.takeBuffered()).toBeUndefined();
    expect(await take(subscription, 1)).toEqual([{ id: ids.at(-1), event: { type: "reset" } }]);
    await subscription.return();
  });

  it("gives nothing after the subscription ended", async () => {
    const kit = useRedisTestKit();
    const { log } = kit.createLog();
    const ids = await log.appendMany(topic, [{ type: "a" }, { type: "b" }, { type: "c" }]);
    const subscription = log.subscribe(topic, { lastEventId: "0-0" });
    await take(subscription, 1);
    await subscription.return();
    expect(subscription.takeBuffered()).toBeUndefined();
    expect(ids).toHaveLength(3);
  });
});
