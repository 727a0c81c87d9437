import type { RedisClient } from "./redis-client.js";
import type { RedisEventLog } from "./redis-event-log.js";

export interface RedisPresenceOptions {
  /** Connection for commands. Shared; never closed by presence. */
  redis: RedisClient;
  /** Log that carries the online/offline events (topic "{l:<lessonId>}:presence"). */
  log: RedisEventLog;
  /** Prepended to presence keys, e.g. "cohort:". Must not contain "{" or "}". */
  prefix: string;
  /** Names this server instance; part of every connection it registers. No "|". */
  instanceId: string;
  /**
   * A connection not refreshed for this long counts as gone (its instance crashed).
   * Worst case, a crashed instance's participants go offline `ttlMs + sweepMs` after the crash.
   * @default 30_000
   */
  ttlMs?: number;
  /**
   * How often this instance refreshes its connections. Must be below `ttlMs`.
   * @default 10_000, or ttlMs / 3 when that is shorter
   */
  heartbeatMs?: number;
  /**
   * How often this instance removes expired connections of the lessons it serves or watches.
   * @default ttlMs / 3
   */
  sweepMs?: number;
  /**
   * Receives failures of background heartbeats and sweeps (they retry on the next tick).
   * @default logs with console.error
   */
  onError?: (error: unknown) => void;
}

export const presenceDefaults = {
  ttlMs: 30_000,
  heartbeatMs: 10_000,
} as const;

export interface ResolvedPresenceOptions extends Required<RedisPresenceOptions> {
  /**
   * Lifetime of a lesson's connection set, renewed by every join and heartbeat, so that the
   * keys of abandoned lessons disappear. Longer than `ttlMs + sweepMs`: any instance that still
   * sweeps the lesson removes expired connections (and logs them offline) well before.
   */
  keyTtlMs: number;
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer, got ${value}`);
}

/** Applies defaults and rejects invalid options up front. */
export function resolvePresenceOptions(options: RedisPresenceOptions): ResolvedPresenceOptions {
  const ttlMs = options.ttlMs ?? presenceDefaults.ttlMs;
  const heartbeatMs = options.heartbeatMs ?? Math.min(presenceDefaults.heartbeatMs, Math.floor(ttlMs / 3));
  const sweepMs = options.sweepMs ?? Math.max(1, Math.floor(ttlMs / 3));
  assertPositiveInteger("ttlMs", ttlMs);
  assertPositiveInteger("heartbeatMs", heartbeatMs);
  assertPositiveInteger("sweepMs", sweepMs);
  if (heartbeatMs >= ttlMs) throw new TypeError(`heartbeatMs (${heartbeatMs}) must be below ttlMs (${ttlMs})`);
  if (typeof options.prefix !== "string" || /[{}]/.test(options.prefix)) {
    throw new TypeError("prefix must be a string without braces");
  }
  if (typeof options.instanceId !== "string" || options.instanceId === "" || options.instanceId.includes("|")) {
    throw new TypeError("instanceId must be a non-empty string without '|'");
  }
  return {
    redis: options.redis,
    log: options.log,
    prefix: options.prefix,
    instanceId: options.instanceId,
    ttlMs,
    heartbeatMs,
    sweepMs,
    onError: options.onError ?? ((error) => console.error("[realtime] presence heartbeat or sweep failed", error)),
    keyTtlMs: 3 * ttlMs + 3 * sweepMs,
  };
}
