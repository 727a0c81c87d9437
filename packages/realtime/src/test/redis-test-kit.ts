// Integration-test helpers: real Redis connections and logs under a per-test key prefix, all
// closed and deleted when the test finishes.
import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import { expect, inject, onTestFinished } from "vitest";
import type { RedisEventLogOptions } from "../event-log-options.js";
import type { RedisPresenceOptions } from "../presence-options.js";
import { RedisEventLog } from "../redis-event-log.js";
import { RedisPresence } from "../redis-presence.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisPrefix: string;
  }
}

export const testRedisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface RedisTestKit {
  /** Unique to this test, e.g. "cohort-test:lx2k:rt:3f9a…:". */
  prefix: string;
  /** A command connection for assertions and setup. */
  redis: Redis;
  /** A new connection, closed after the test. */
  connect(options?: RedisOptions): Redis;
  /** A log on its own command and subscriber connections: one simulated server instance. */
  createLog(
    options?: Partial<RedisEventLogOptions>,
    connection?: { subscriberRetryMs?: number },
  ): { log: RedisEventLog; redis: Redis; subscriberName: string };
  /**
   * A server instance for presence tests: its own connections, log and presence (not started).
   * Stopped (without graceful leave) after the test.
   */
  createPresence(
    options?: Partial<RedisPresenceOptions>,
    setup?: { log?: Partial<RedisEventLogOptions>; subscriberRetryMs?: number },
  ): { presence: RedisPresence; log: RedisEventLog; subscriberName: string };
  /** Kills the subscriber connection of a log created by `createLog` (it reconnects). */
  killClient(name: string): Promise<void>;
}

export function useRedisTestKit(): RedisTestKit {
  const prefix = `${inject("redisPrefix")}rt:${randomUUID().slice(0, 8)}:`;
  const connections: Redis[] = [];
  const logs: RedisEventLog[] = [];
  const presences: RedisPresence[] = [];

  const connect = (options: RedisOptions = {}): Redis => {
    const connection = new Redis(testRedisUrl, { maxRetriesPerRequest: 3, ...options });
    connections.push(connection);
    return connection;
  };
  const redis = connect();

  const createLog: RedisTestKit["createLog"] = (options = {}, { subscriberRetryMs = 20 } = {}) => {
    const subscriberName = `rt-sub-${randomUUID().slice(0, 12)}`;
    const commands = connect();
    const log = new RedisEventLog({
      redis: commands,
      createSubscriber: () => connect({ connectionName: subscriberName, retryStrategy: () => subscriberRetryMs, enableReadyCheck: false }),
      prefix,
      ...options,
    });
    logs.push(log);
    return { log, redis: commands, subscriberName };
  };

  onTestFinished(async () => {
    // Stop timers first: a heartbeat after the keys are deleted would recreate them.
    await Promise.all(presences.map((presence) => presence.stop()));
    await Promise.all(logs.map((log) => log.close()));
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    for (const connection of connections) connection.disconnect();
  });

  return {
    prefix,
    redis,
    connect,
    createLog,
    createPresence(options = {}, setup = {}) {
      const { log, redis: commands, subscriberName } = createLog(setup.log, setup);
      const presence = new RedisPresence({ redis: commands, log, prefix, instanceId: `i-${randomUUID().slice(0, 8)}`, ...options });
      presences.push(presence);
      return { presence, log, subscriberName };
    },
    async killClient(name) {
      const list = await redis.client("LIST");
      const line = String(list)
        .split("\n")
        .find((entry) => entry.includes(` name=${name} `));
      expect(line, `client ${name} is connected`).toBeDefined();
      const id = /(?:^|\s)id=(\d+)/.exec(line!)?.[1];
      await redis.client("KILL", "ID", id!);
    },
  };
}

/** Polls `check` until it stops throwing (or returns true), for up to `timeoutMs`. */
export async function eventually(check: () => unknown, { timeoutMs = 5_000, intervalMs = 20 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const result = await check();
      if (result !== false) return;
      if (Date.now() > deadline) throw new Error("condition still false");
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Collects the next `count` items of an iterator, failing after `timeoutMs`. */
export async function take<T>(iterator: AsyncIterator<T>, count: number, timeoutMs = 10_000): Promise<T[]> {
  const items: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`took ${items.length} of ${count} items in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    while (items.length < count) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) throw new Error(`iterator ended after ${items.length} of ${count} items`);
      items.push(next.value);
    }
    return items;
  } finally {
    clearTimeout(timer);
  }
}
