import type { TokenBucketsPort } from "../ports.js";
import type { RateLimit } from "./rate-limiter.js";

export interface ParticipantQuotaOptions {
  buckets: TokenBucketsPort;
  /** Which of a participant's budgets this is (one bucket per participant and name). @default "mutations" */
  name?: string;
  /** A participant's mutations per second over all their connections, on every instance. */
  limit: RateLimit;
  /**
   * Tokens taken from the shared bucket at a time and spent here. Larger means fewer round trips
   * and more slack: together the instances may let through up to 1.5 × `leaseSize` per instance
   * more than the burst (a lease is renewed ahead, before it runs out). @default a tenth of a second's worth (at least 1, at most the burst)
   */
  leaseSize?: number;
  /** Unspent tokens of a lease are dropped this long after the participant's last call here, so a quiet instance hoards nothing. @default 1_000 */
  leaseMs?: number;
  /** Leases kept; the oldest are forgotten past it. @default 50_000 */
  maxLeases?: number;
  now?: () => number;
  /**
   * The shared buckets failed: calls are let through (each instance's own limits still apply) and
   * the buckets are left alone for `retryMs`, so an outage costs neither a failing round trip per
   * call nor a log line per call.
   */
  onUnavailable?: (error: unknown) => void;
  /** @default 1_000 */
  retryMs?: number;
}

/** A refill under way: how many calls wait for it, and the tokens it got. */
interface Refill {
  demand: number;
  result: Promise<number | "unavailable">;
}

interface Lease {
  tokens: number;
  expiresAt: number;
}

/**
 * Refills a call may wait for before it is refused: the tokens of a refill can be spent by calls
 * that arrived meanwhile, but a call should not wait behind a stream of newcomers for ever.
 */
const MAX_ATTEMPTS = 5;

/**
 * A per-participant limit across server instances (one for mutations, one for cursor moves, each
 * with its own `name`). Each instance leases a few tokens
 * at a time from the participant's shared bucket and spends them locally, so most calls cost no
 * round trip, and concurrent calls of one participant wait for one refill, not one each.
 */
export class ParticipantQuota {
  readonly #buckets: TokenBucketsPort;
  readonly #name: string;
  readonly #limit: RateLimit;
  readonly #leaseSize: number;
  readonly #leaseMs: number;
  readonly #maxLeases: number;
  readonly #now: () => number;
  readonly #onUnavailable: (error: unknown) => void;
  readonly #retryMs: number;
  #unavailableUntil = 0;
  readonly #leases = new Map<number, Lease>();
  readonly #refills = new Map<number, Refill>();

  constructor(options: ParticipantQuotaOptions) {
    this.#buckets = options.buckets;
    this.#name = options.name ?? "mutations";
    this.#limit = options.limit;
    this.#leaseSize = options.leaseSize ?? Math.max(1, Math.min(options.limit.burst, Math.ceil(options.limit.ratePerSec / 10)));
    this.#leaseMs = options.leaseMs ?? 1_000;
    this.#maxLeases = options.maxLeases ?? 50_000;
    this.#now = options.now ?? Date.now;
    this.#onUnavailable = options.onUnavailable ?? (() => undefined);
    this.#retryMs = options.retryMs ?? 1_000;
  }

  /** Takes one token of the participant's budget; false when it is spent (refuse the call). */
  async take(userId: number): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (this.#spend(userId)) {
        this.#refillAhead(userId);
        return true;
      }
      if (this.#now() < this.#unavailableUntil) return true;
      const granted = await this.#awaitRefill(userId);
      if (granted === "unavailable") return true;
      if (granted === 0) return false;
    }
    return false;
  }

  #spend(userId: number): boolean {
    const lease = this.#leases.get(userId);
    if (!lease || lease.tokens < 1 || lease.expiresAt <= this.#now()) return false;
    lease.tokens -= 1;
    return true;
  }

  /**
   * Keeps a calling participant's lease alive without a round trip, and renews it ahead, before it
   * runs out, so a steady caller never waits for a refill. A call pushes the lease's end back: the
   * end exists so that an instance the participant left hoards nothing, and only calls extend it,
   * so a quiet instance's lease still lapses `leaseMs` after its last call. Extending is safe for
   * the limit: every call still spends a token taken from the shared bucket. (Renewing by time
   * instead cost a round trip at every call of a participant typing twice a second.)
   */
  #refillAhead(userId: number): void {
    const lease = this.#leases.get(userId)!;
    lease.expiresAt = this.#now() + this.#leaseMs;
    if (lease.tokens < this.#leaseSize / 2 && !this.#refills.has(userId) && this.#now() >= this.#unavailableUntil) void this.#awaitRefill(userId);
  }

  /**
   * One refill per participant at a time, started a microtask later so that every call of the same
   * burst is counted first: the refill asks for all of them at once (at least a lease).
   */
  #awaitRefill(userId: number): Promise<number | "unavailable"> {
    const pending = this.#refills.get(userId);
    if (pending) {
      pending.demand += 1;
      return pending.result;
    }
    const refill: Refill = { demand: 1, result: Promise.resolve().then(() => this.#refill(userId, Math.max(this.#leaseSize, refill.demand))) };
    this.#refills.set(userId, refill);
    void refill.result.finally(() => this.#refills.delete(userId));
    return refill.result;
  }

  async #refill(userId: number, want: number): Promise<number | "unavailable"> {
    let granted: number;
    try {
      granted = await this.#buckets.take(`u:${userId}:${this.#name}`, this.#limit, want);
    } catch (error) {
      this.#unavailableUntil = this.#now() + this.#retryMs;
      this.#onUnavailable(error);
      return "unavailable";
    }
    if (granted > 0) {
      const lease = this.#leases.get(userId);
      const kept = lease && lease.expiresAt > this.#now() ? lease.tokens : 0;
      this.#leases.delete(userId); // re-insert: the oldest lease is forgotten first
      if (this.#leases.size >= this.#maxLeases) this.#leases.delete(this.#leases.keys().next().value as number);
      this.#leases.set(userId, { tokens: kept + granted, expiresAt: this.#now() + this.#leaseMs });
    }
    return granted;
  }
}
