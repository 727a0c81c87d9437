import type { RedisClient } from "./redis-client.js";
import { takeTokensScript } from "./lua/token-bucket.js";

export interface TokenBucketLimit {
  ratePerSec: number;
  burst: number;
}

/**
 * Token buckets every server instance shares through Redis (one key per bucket, so each lives in
 * one slot of a Redis Cluster). Callers take tokens in small batches and spend them locally: a
 * round trip per batch, not per call.
 */
export class RedisTokenBuckets {
  readonly #redis: RedisClient;
  readonly #prefix: string;

  constructor(options: { redis: RedisClient; prefix: string }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix;
  }

  /** Takes up to `want` tokens of bucket `name`; resolves how many were taken (0 when empty). */
  async take(name: string, limit: TokenBucketLimit, want: number): Promise<number> {
    const granted = await takeTokensScript.run(this.#redis, [`${this.#prefix}rate:{${name}}`], [limit.ratePerSec, limit.burst, want]);
    return Number(granted);
  }
}
