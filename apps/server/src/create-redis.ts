import { Redis } from "ioredis";

/** A Redis client for commands; `duplicate()` gives the dedicated pub/sub connection. */
export function createRedis(url: string): Redis {
  return new Redis(url, {
    // Fail commands fast while Redis is away instead of queueing them without bound.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
}
