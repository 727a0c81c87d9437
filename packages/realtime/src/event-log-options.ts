import type { RedisClient } from "./redis-client.js";

export interface RedisEventLogOptions {
  /** Connection for commands (XADD, XRANGE, scripts). Shared; never closed by the log. */
  redis: RedisClient;
  /**
   * Returns a new connection dedicated to pub/sub. Called once, on the first subscription; the
   * log owns it and closes it in `close()`. With ioredis, create it with `enableReadyCheck: false`:
   * a SUBSCRIBE sent during the connection's handshake otherwise makes ioredis refuse its own
   * ready check, and the subscriptions waiting on it fail.
   */
  createSubscriber: () => RedisClient;
  /** Prepended to every stream key and channel, e.g. "cohort:". Must not contain "{" or "}". */
  prefix: string;
  /**
   * Approximate number of entries kept per topic (XADD MAXLEN ~): Redis trims whole nodes, so
   * a stream may hold somewhat more.
   * @default 10_000
   */
  maxLen?: number;
  /**
   * Also trim entries older than this on append (XTRIM MINID ~), measured on the Redis clock.
   * The newest entry is always kept.
   * @default undefined (no age limit)
   */
  maxAgeMs?: number;
  /**
   * Live events a subscription may hold undelivered before it fails with SlowConsumerError.
   * @default 5_000
   */
  maxBufferedPerSubscriber?: number;
  /**
   * Entries read per XRANGE while catching up.
   * @default 500
   */
  backfillPageSize?: number;
}

export const eventLogDefaults = {
  maxLen: 10_000,
  maxBufferedPerSubscriber: 5_000,
  backfillPageSize: 500,
} as const;

export type ResolvedEventLogOptions = Required<Omit<RedisEventLogOptions, "maxAgeMs">> & { maxAgeMs: number | undefined };

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer, got ${value}`);
}

/** Applies defaults and rejects invalid options up front. */
export function resolveEventLogOptions(options: RedisEventLogOptions): ResolvedEventLogOptions {
  const resolved: ResolvedEventLogOptions = {
    redis: options.redis,
    createSubscriber: options.createSubscriber,
    prefix: options.prefix,
    maxLen: options.maxLen ?? eventLogDefaults.maxLen,
    maxAgeMs: options.maxAgeMs,
    maxBufferedPerSubscriber: options.maxBufferedPerSubscriber ?? eventLogDefaults.maxBufferedPerSubscriber,
    backfillPageSize: options.backfillPageSize ?? eventLogDefaults.backfillPageSize,
  };
  if (typeof resolved.createSubscriber !== "function") throw new TypeError("createSubscriber must be a function");
  // A brace in the prefix would become the hash tag and put every topic in one cluster slot.
  if (typeof resolved.prefix !== "string" || /[{}]/.test(resolved.prefix)) {
    throw new TypeError("prefix must be a string without braces");
  }
  assertPositiveInteger("maxLen", resolved.maxLen);
  assertPositiveInteger("maxBufferedPerSubscriber", resolved.maxBufferedPerSubscriber);
  assertPositiveInteger("backfillPageSize", resolved.backfillPageSize);
  if (resolved.maxAgeMs !== undefined) assertPositiveInteger("maxAgeMs", resolved.maxAgeMs);
  return resolved;
}
