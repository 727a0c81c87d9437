import { createHash } from "node:crypto";
import type { RedisClient } from "../redis-client.js";

/**
 * A Lua script run by EVALSHA, falling back to EVAL when the server does not have it cached
 * (first use, SCRIPT FLUSH, failover). Unlike `defineCommand` it leaves the caller's client
 * untouched, so several instances can share one connection.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
