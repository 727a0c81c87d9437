import { randomUUID } from "node:crypto";
import { StorageError } from "./errors.js";
import { LuaScript } from "./redis/lua-script.js";
import type { RedisClient } from "./redis/redis-client.js";

// Only the holder's token may release or extend: a holder that stalled past its TTL must not
// release a lock that another instance took over since.
const releaseScript = new LuaScript(
  "release-lock",
  /* lua */ `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);
const extendScript = new LuaScript(
  "extend-lock",
  /* lua */ `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`,
);

/** A Redis lock: SET NX PX with a random token. Returns the token, or null when it is held. */
export async function acquireLock(redis: RedisClient, key: string, ttlMs: number): Promise<string | null> {
  const token = randomUUID();
  return (await redis.set(key, token, "PX", ttlMs, "NX")) === "OK" ? token : null;
}

export async function releaseLock(redis: RedisClient, key: string, token: string): Promise<boolean> {
  return (await releaseScript.run(redis, [key], [token])) === 1;
}

export async function extendLock(redis: RedisClient, key: string, token: string, ttlMs: number): Promise<boolean> {
  return (await extendScript.run(redis, [key], [token, ttlMs])) === 1;
}

export interface WithLockOptions {
  /** Lock lifetime; renewed every third of it while `fn` runs, so only a dead holder lets it lapse. */
  ttlMs: number;
}

/**
 * Runs `fn` holding the lock, or returns `{ acquired: false }` at once when someone else holds it.
 * The lock is renewed while `fn` runs and released after, even when `fn` throws.
 */
export async function withLock<T>(
  redis: RedisClient,
  key: string,
  { ttlMs }: WithLockOptions,
  fn: () => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const token = await acquireLock(redis, key, ttlMs);
  if (token === null) return { acquired: false };
  const renew = setInterval(() => void extendLock(redis, key, token, ttlMs).catch(() => {}), Math.max(1, Math.floor(ttlMs / 3)));
  renew.unref();
  try {
    return { acquired: true, value: await fn() };
  } finally {
    clearInterval(renew);
    await releaseLock(redis, key, token).catch(() => {});
  }
}

export interface WaitOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /**
   * Time between checks.
   * @default 25
   */
  pollMs?: number;
  /** Words for the LOCKED error, e.g. "loading project l1/p2". */
  what: string;
}

/**
 * Polls `check` until it returns a value other than undefined.
 * @throws StorageError `LOCKED` after `timeoutMs`
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, { timeoutMs, pollMs = 25, what }: WaitOptions): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new StorageError("LOCKED", `Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
