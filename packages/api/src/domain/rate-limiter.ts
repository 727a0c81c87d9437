/** Token bucket: `ratePerSec` tokens a second, holding at most `burst`. */
export interface RateLimit {
  ratePerSec: number;
  burst: number;
}

export interface RateLimiterOptions {
  /** Mutations of one WebSocket connection (or HTTP request source). */
  perConnection: RateLimit;
  /** Mutations of one participant (user), across their connections on this instance. */
  perUser: RateLimit;
  /** cursor.move of one connection; cursors are cheap but the most frequent. */
  cursorPerConnection: RateLimit;
  /** Buckets kept; the least recently used are forgotten past it. @default 50_000 */
  maxBuckets?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Per-connection and per-participant limits, never per IP: a whole classroom behind one school
 * router must not be limited as one client. Buckets live in this instance's memory, so they bound
 * the load on this instance without a round trip; `ParticipantQuota` holds a participant to their
 * limit over every instance.
 */
export class RateLimiter {
  readonly #options: RateLimiterOptions;
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxBuckets: number;

  constructor(options: RateLimiterOptions) {
    this.#options = options;
    this.#maxBuckets = options.maxBuckets ?? 50_000;
  }

  /** Takes one token from each bucket that applies; returns which limit refused, or null. */
  take(call: { connectionId: string; userId: number | null; cursor: boolean }, now = performance.now()): "connection" | "user" | "cursor" | null {
    const checks: [string, RateLimit, "connection" | "user" | "cursor"][] = call.cursor
      ? [[`c:${call.connectionId}`, this.#options.cursorPerConnection, "cursor"]]
      : [[`m:${call.connectionId}`, this.#options.perConnection, "connection"]];
    if (call.userId !== null && !call.cursor) checks.push([`u:${call.userId}`, this.#options.perUser, "user"]);
    const buckets = checks.map(([key, limit]) => this.#refill(key, limit, now));
    const refused = checks.findIndex((_, i) => buckets[i]!.tokens < 1);
    if (refused >= 0) return checks[refused]![2];
    for (const bucket of buckets) bucket.tokens -= 1;
    return null;
  }

  get size(): number {
    return this.#buckets.size;
  }

  #refill(key: string, limit: RateLimit, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (bucket) {
      this.#buckets.delete(key); // re-insert: most recently used last
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.ratePerSec);
      bucket.at = now;
    } else {
      bucket = { tokens: limit.burst, at: now };
      if (this.#buckets.size >= this.#maxBuckets) this.#buckets.delete(this.#buckets.keys().next().value as string);
    }
    this.#buckets.set(key, bucket);
    return bucket;
  }
}
