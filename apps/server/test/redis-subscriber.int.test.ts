import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { RedisEventLog } from "@cohort/realtime";
import { testEnv } from "@cohort/test-support";
import { subscriberOf } from "../src/create-redis.js";

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** An event log whose subscriber connection is made by `subscriberOf`, as the server makes it. */
function logWithAppSubscriber() {
  const redis = new Redis(testEnv().redisUrl);
  let subscriber: Redis | undefined;
  const log = new RedisEventLog({
    redis,
    createSubscriber: () => (subscriber = subscriberOf(redis) as Redis),
    prefix: `${inject("redisPrefix")}subscriber-test:`,
  });
  closers.push(() => log.close(), () => redis.disconnect());
  return { log, subscriber: () => subscriber! };
}

describe("the server's subscriber connection", () => {
  it("takes subscriptions made during its handshake, and delivers on all of them", async () => {
    const { log, subscriber } = logWithAppSubscriber();
    // The first subscription opens the connection; more arrive while it is still connecting, as
    // when a class's watches land on a fresh instance together. (ioredis writes a SUBSCRIBE
    // during the handshake, which made its own ready check fail with a default connection.)
    const first = log.subscribe("{t:1}:events");
    const firstReady = first.ready();
    const during = new Promise<ReturnType<typeof log.subscribe>[]>((resolve) =>
      subscriber().once("connect", () => resolve(["{t:2}:events", "{t:3}:events"].map((topic) => log.subscribe(topic)))),
    );
    const later = await during;
    await Promise.all([firstReady, ...later.map((subscription) => subscription.ready())]);
    const ids = await Promise.all(["{t:1}:events", "{t:2}:events", "{t:3}:events"].map((topic) => log.append(topic, { type: "x" })));
    const received = await Promise.all([first, ...later].map(async (subscription) => (await subscription.next()).value));
    expect(received.map((item) => (item as { id: string }).id)).toEqual(ids);
    await Promise.all([first, ...later].map((subscription) => subscription.return()));
  });
});
