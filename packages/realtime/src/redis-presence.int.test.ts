import { describe, expect, it } from "vitest";
import { presenceTopic } from "./presence-keys.js";
import type { PresenceItem } from "./redis-presence.js";
import { take, useRedisTestKit, type RedisTestKit } from "./test/redis-test-kit.js";

const lessonId = 42;

async function loggedEvents(kit: RedisTestKit): Promise<unknown[]> {
  const entries = await kit.redis.xrange(kit.prefix + presenceTopic(lessonId), "-", "+");
  return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf("e") + 1]!) as unknown);
}

const events = (items: PresenceItem[]) => items.map((item) => item.event);

describe("RedisPresence", () => {
  it("shows two participants each other coming and going, from a snapshot on", async () => {
    const kit = useRedisTestKit();
    const { presence } = kit.createPresence();
    await presence.join(lessonId, 1, "tab-a");
    const watchOf1 = presence.watch(lessonId);
    expect(events(await take(watchOf1, 1))).toEqual([{ type: "snapshot", online: [1] }]);

    await presence.join(lessonId, 2, "tab-b");
    const watchOf2 = presence.watch(lessonId);
    expect(events(await take(watchOf2, 1))).toEqual([{ type: "snapshot", online: [1, 2] }]);
    expect(events(await take(watchOf1, 1))).toEqual([{ type: "online", participantId: 2 }]);

    await presence.leave(lessonId, 1, "tab-a");
    expect(events(await take(watchOf2, 1))).toEqual([{ type: "offline", participantId: 1 }]);
    expect(events(await take(watchOf1, 1))).toEqual([{ type: "offline", participantId: 1 }]);
    expect(await presence.online(lessonId)).toEqual([2]);
    await Promise.all([watchOf1.return(), watchOf2.return()]);
  });

  it("keeps a participant with two tabs online until both leave", async () => {
    const kit = useRedisTestKit();
    const { presence } = kit.createPresence();
    const watch = presence.watch(lessonId);
    expect(events(await take(watch, 1))).toEqual([{ type: "snapshot", online: [] }]);

    await presence.join(lessonId, 1, "tab-1");
    await presence.join(lessonId, 1, "tab-2");
    await presence.leave(lessonId, 1, "tab-1");
    expect(await presence.online(lessonId)).toEqual([1]);
    await presence.join(lessonId, 2, "tab-3"); // a marker: nothing about 1 may come before it
    await presence.leave(lessonId, 1, "tab-2");
    expect(events(await take(watch, 3))).toEqual([
      { type: "online", participantId: 1 },
      { type: "online", participantId: 2 },
      { type: "offline", participantId: 1 },
    ]);
    expect(await presence.online(lessonId)).toEqual([2]);
    await watch.return();
  });

  it("is shared by instances: tabs on two instances, watched from a third", async () => {
    const kit = useRedisTestKit();
    const a = kit.createPresence();
    const b = kit.createPresence();
    const c = kit.createPresence();
    const watch = c.presence.watch(lessonId);
    await take(watch, 1);

    await Promise.all([a.presence.join(lessonId, 1, "tab-a"), b.presence.join(lessonId, 1, "tab-b")]);
    expect(await b.presence.online(lessonId)).toEqual([1]);
    expect(await c.presence.online(lessonId)).toEqual([1]);
    await a.presence.leave(lessonId, 1, "tab-a");
    expect(await c.presence.online(lessonId)).toEqual([1]);
    await b.presence.leave(lessonId, 1, "tab-b");
    expect(events(await take(watch, 2))).toEqual([
      { type: "online", participantId: 1 },
      { type: "offline", participantId: 1 },
    ]);
    // Joining from two instances at once still logged a single "online".
    expect(await loggedEvents(kit)).toEqual([
      { type: "online", participantId: 1 },
      { type: "offline", participantId: 1 },
    ]);
    await watch.return();
  });

  it("ignores a repeated join and a leave of an unknown connection", async () => {
    const kit = useRedisTestKit();
    const { presence } = kit.createPresence();
    await presence.join(lessonId, 1, "tab");
    await presence.join(lessonId, 1, "tab");
    await presence.leave(lessonId, 1, "never-joined");
    await presence.leave(lessonId, 1, "tab");
    await presence.leave(lessonId, 1, "tab");
    expect(await loggedEvents(kit)).toEqual([
      { type: "online", participantId: 1 },
      { type: "offline", participantId: 1 },
    ]);
  });

  it("takes a participant offline on graceful stop", async () => {
    const kit = useRedisTestKit();
    const a = kit.createPresence();
    const b = kit.createPresence();
    await a.presence.join(lessonId, 1, "tab-1");
    await a.presence.join(lessonId, 1, "tab-2");
    await b.presence.join(lessonId, 2, "tab-3");
    const watch = b.presence.watch(lessonId);
    expect(events(await take(watch, 1))).toEqual([{ type: "snapshot", online: [1, 2] }]);
    await a.presence.stop({ graceful: true });
    expect(events(await take(watch, 1))).toEqual([{ type: "offline", participantId: 1 }]);
    expect(await b.presence.online(lessonId)).toEqual([2]);
    await watch.return();
  });

  it("yields a fresh snapshot when the presence log was trimmed past what the watcher saw", async () => {
    const kit = useRedisTestKit();
    const busy = kit.createPresence({}, { log: { maxLen: 1 } });
    // Reconnects only after the flicker below has pushed the watcher's position out of the log.
    const watcher = kit.createPresence({}, { subscriberRetryMs: 1_500 });
    await busy.presence.join(lessonId, 9, "stays");
    const watch = watcher.presence.watch(lessonId);
    expect(events(await take(watch, 1))).toEqual([{ type: "snapshot", online: [9] }]);

    await kit.killClient(watcher.subscriberName);
    for (let round = 0; round < 150; round++) {
      await busy.presence.join(lessonId, 1, "flicker");
      await busy.presence.leave(lessonId, 1, "flicker");
    }
    await busy.presence.join(lessonId, 5, "tab");
    expect(events(await take(watch, 1))).toEqual([{ type: "snapshot", online: [5, 9] }]);
    await busy.presence.leave(lessonId, 9, "stays");
    expect(events(await take(watch, 1))).toEqual([{ type: "offline", participantId: 9 }]);
    await watch.return();
  });

  it("stops watching when the signal aborts", async () => {
    const kit = useRedisTestKit();
    const { presence, log } = kit.createPresence();
    const controller = new AbortController();
    const watch = presence.watch(lessonId, { signal: controller.signal });
    await take(watch, 1);
    const pending = watch.next();
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(log.stats()).toEqual({ channels: 0, subscriptions: 0 });
  });
});
