import { describe, expect, it } from "vitest";
import { presenceTopic } from "./presence-keys.js";
import type { PresenceItem } from "./redis-presence.js";
import { eventually, take, useRedisTestKit, type RedisTestKit } from "./test/redis-test-kit.js";

const lessonId = 77;
const short = { ttlMs: 600, heartbeatMs: 150, sweepMs: 100 };

async function loggedEvents(kit: RedisTestKit): Promise<unknown[]> {
  const entries = await kit.redis.xrange(kit.prefix + presenceTopic(lessonId), "-", "+");
  return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf("e") + 1]!) as unknown);
}

const events = (items: PresenceItem[]) => items.map((item) => item.event);

describe("RedisPresence expiry", () => {
  it("keeps connections alive with heartbeats well past the TTL", async () => {
    const kit = useRedisTestKit();
    const a = kit.createPresence(short);
    const b = kit.createPresence(short);
    a.presence.start();
    b.presence.start();
    await a.presence.join(lessonId, 1, "tab");
    const watch = b.presence.watch(lessonId);
    await take(watch, 1);
    await new Promise((resolve) => setTimeout(resolve, 3 * short.ttlMs));
    expect(await b.presence.online(lessonId)).toEqual([1]);
    expect(await loggedEvents(kit)).toEqual([{ type: "online", participantId: 1 }]);
    await watch.return();
  });

  it("takes a crashed instance's participants offline within ttl + sweep", async () => {
    const kit = useRedisTestKit();
    const crashing = kit.createPresence(short);
    const surviving = kit.createPresence(short);
    crashing.presence.start();
    surviving.presence.start();
    await crashing.presence.join(lessonId, 1, "tab-1");
    await surviving.presence.join(lessonId, 2, "tab-2");
    const watch = surviving.presence.watch(lessonId);
    expect(events(await take(watch, 1))).toEqual([{ type: "snapshot", online: [1, 2] }]);

    await crashing.presence.stop(); // timers stop, connections stay: a crash
    const crashedAt = Date.now();
    expect(events(await take(watch, 1, 5_000))).toEqual([{ type: "offline", participantId: 1 }]);
    const elapsedMs = Date.now() - crashedAt;
    // The last heartbeat may have been up to heartbeatMs before the crash; allow for scheduling.
    expect(elapsedMs).toBeLessThan(short.ttlMs + short.sweepMs + 400);
    expect(await surviving.presence.online(lessonId)).toEqual([2]);
    await watch.return();
  });

  it("does not count expired connections as online, even before a sweep", async () => {
    const kit = useRedisTestKit();
    const { presence } = kit.createPresence(short); // never started: no heartbeat, no sweep
    await presence.join(lessonId, 1, "tab");
    expect(await presence.online(lessonId)).toEqual([1]);
    await eventually(async () => expect(await presence.online(lessonId)).toEqual([]), { timeoutMs: 3_000 });
    // Nothing has removed it yet, so the log still says online.
    expect(await loggedEvents(kit)).toEqual([{ type: "online", participantId: 1 }]);
  });

  it("logs each offline once when several instances sweep at the same time", async () => {
    const kit = useRedisTestKit();
    const crashed = kit.createPresence(short);
    await crashed.presence.join(lessonId, 1, "tab-1");
    await crashed.presence.join(lessonId, 1, "tab-2");
    await crashed.presence.join(lessonId, 2, "tab-3");
    const sweepers = [kit.createPresence(short), kit.createPresence(short), kit.createPresence(short)];
    // Watching makes each sweeper sweep this lesson; the snapshots come before anything expires.
    const watches = sweepers.map(({ presence }) => presence.watch(lessonId));
    for (const watch of watches) expect(events(await take(watch, 1))).toEqual([{ type: "snapshot", online: [1, 2] }]);

    await eventually(async () => expect(await sweepers[0]!.presence.online(lessonId)).toEqual([]), { timeoutMs: 3_000 });
    await Promise.all(sweepers.flatMap(({ presence }) => [presence.sweep(), presence.sweep(), presence.sweep()]));

    expect(await loggedEvents(kit)).toEqual([
      { type: "online", participantId: 1 },
      { type: "online", participantId: 2 },
      { type: "offline", participantId: 1 },
      { type: "offline", participantId: 2 },
    ]);
    await sweepers[0]!.presence.join(lessonId, 3, "tab-4"); // marker: no second offline before it
    for (const watch of watches) {
      expect(events(await take(watch, 3))).toEqual([
        { type: "offline", participantId: 1 },
        { type: "offline", participantId: 2 },
        { type: "online", participantId: 3 },
      ]);
      await watch.return();
    }
  });

  it("brings a connection back online when its instance heartbeats after being swept", async () => {
    const kit = useRedisTestKit();
    const stalled = kit.createPresence(short);
    const other = kit.createPresence(short);
    await stalled.presence.join(lessonId, 1, "tab");
    const watch = other.presence.watch(lessonId);
    await take(watch, 1);
    await eventually(async () => expect(await other.presence.online(lessonId)).toEqual([]), { timeoutMs: 3_000 });
    await other.presence.sweep();
    expect(events(await take(watch, 1))).toEqual([{ type: "offline", participantId: 1 }]);

    await stalled.presence.heartbeat(); // the instance wakes up and still holds the tab
    expect(events(await take(watch, 1))).toEqual([{ type: "online", participantId: 1 }]);
    expect(await other.presence.online(lessonId)).toEqual([1]);
    await watch.return();
  });

  it("sweeps in the snapshot, so a new watcher never sees an expired participant", async () => {
    const kit = useRedisTestKit();
    const crashed = kit.createPresence(short);
    await crashed.presence.join(lessonId, 1, "tab");
    const late = kit.createPresence(short);
    await eventually(async () => expect(await late.presence.online(lessonId)).toEqual([]), { timeoutMs: 3_000 });
    const watch = late.presence.watch(lessonId);
    // The offline that the snapshot's sweep logged may follow it; it is harmless.
    const [snapshot] = await take(watch, 1);
    expect(snapshot!.event).toEqual({ type: "snapshot", online: [] });
    expect(await loggedEvents(kit)).toEqual([
      { type: "online", participantId: 1 },
      { type: "offline", participantId: 1 },
    ]);
    await watch.return();
  });

  it("lets the connection set expire once nobody refreshes it", async () => {
    const kit = useRedisTestKit();
    const { presence } = kit.createPresence({ ttlMs: 100, heartbeatMs: 30, sweepMs: 30 });
    await presence.join(lessonId, 1, "tab");
    const key = `${kit.prefix}{l:${lessonId}}:presence:conns`;
    const ttl = await kit.redis.pttl(key);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(3 * 100 + 3 * 30);
  });
});
