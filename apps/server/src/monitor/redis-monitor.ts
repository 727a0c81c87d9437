import { randomUUID } from "node:crypto";
import type { EventLogPort, InstanceHeartbeat, Logger, MonitorPort, MonitorSamplingNotice, MonitorTrace } from "@cohort/api";
import { topics } from "@cohort/api";
import type { Cluster, Redis } from "ioredis";

export interface RedisMonitorOptions {
  redis: Redis | Cluster;
  /** Traces go to the lesson's capped monitor topic here (its maxLen bounds them). */
  events: EventLogPort;
  /** Prefix of the monitor's own keys, e.g. "cohort:". */
  prefix: string;
  instanceId: string;
  logger: Logger;
  /**
   * Traces kept per lesson, per second, on this instance; the rest are dropped and counted, so
   * monitoring a busy class cannot slow it down.
   * @default 200
   */
  maxTracesPerSec?: number;
  /**
   * How often the set of watched lessons is re-read from Redis (and drop counts flushed).
   * @default 1_000
   */
  refreshMs?: number;
  /**
   * A watch registration expires this long after its last refresh (its subscription refreshes it
   * every third of that), so a crashed instance's watches do not keep others tracing for ever.
   * @default 6_000
   */
  watchTtlMs?: number;
  /**
   * Heartbeats older than this are not listed by `instances()`.
   * @default 10_000
   */
  instanceTtlMs?: number;
  /** @default Date.now */
  now?: () => number;
}

export const redisMonitorDefaults = { maxTracesPerSec: 200, refreshMs: 1_000, watchTtlMs: 6_000, instanceTtlMs: 10_000 } as const;

interface Window {
  startedAt: number;
  kept: number;
  dropped: number;
}

/**
 * Live traffic sampling over Redis. Which lessons are watched lives in one sorted set (member per
 * watch, score = expiry), copied into a local map every second: `record()` for an unwatched lesson
 * is one map lookup. For a watched lesson it keeps up to `maxTracesPerSec` traces per second and
 * appends them to the lesson's monitor topic, which every instance's `monitor.watch` reads.
 */
export class RedisMonitor implements MonitorPort {
  readonly #options: Required<Omit<RedisMonitorOptions, "now">> & { now: () => number };
  readonly #watchesKey: string;
  readonly #instancesKey: string;
  /** lessonId → highest sample rate any watcher asked for. */
  #watched = new Map<number, number>();
  readonly #local = new Map<string, { lessonId: number; sampleRate: number }>();
  readonly #windows = new Map<number, Window>();
  #timer: NodeJS.Timeout | undefined;
  #sequence = 0;

  constructor(options: RedisMonitorOptions) {
    this.#options = { ...redisMonitorDefaults, now: Date.now, ...options };
    this.#watchesKey = `${options.prefix}monitor:watches`;
    this.#instancesKey = `${options.prefix}monitor:instances`;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#refresh(), this.#options.refreshMs);
    this.#timer.unref();
    void this.#refresh();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  record(lessonId: number, message: { event: string; from: number; to: number; trace?: object | undefined; size: number }): void {
    const sampleRate = this.#watched.get(lessonId);
    if (sampleRate === undefined) return;
    if (sampleRate < 1 && Math.random() >= sampleRate) return;
    const now = this.#options.now();
    const window = this.#windowOf(lessonId, now);
    if (window.kept >= this.#options.maxTracesPerSec) {
      window.dropped++;
      return;
    }
    window.kept++;
    const stamps = (message.trace ?? {}) as { id?: unknown; t1?: unknown; t2?: unknown };
    const trace: MonitorTrace = {
      type: "trace",
      id: typeof stamps.id === "string" ? stamps.id : `${this.#options.instanceId}:${++this.#sequence}`,
      event: message.event,
      from: message.from,
      to: message.to,
      instance: this.#options.instanceId,
      t1: typeof stamps.t1 === "number" ? stamps.t1 : null,
      t2: typeof stamps.t2 === "number" ? stamps.t2 : now,
      t3: now,
      size: message.size,
    };
    this.#options.events.append(topics.monitor(lessonId), trace).catch((error: unknown) => {
      this.#options.logger.warn({ err: error, lessonId }, "monitor trace not appended");
    });
  }

  async watch(lessonId: number, { sampleRate, signal }: { sampleRate: number; signal: AbortSignal }): Promise<void> {
    if (signal.aborted) return;
    const member = `${lessonId}:${sampleRate}:${randomUUID()}`;
    const { redis, watchTtlMs } = this.#options;
    const register = () => redis.zadd(this.#watchesKey, this.#options.now() + watchTtlMs, member);
    await register();
    // This instance traces at once; the others within one refresh.
    this.#local.set(member, { lessonId, sampleRate });
    this.#watched.set(lessonId, Math.max(sampleRate, this.#watched.get(lessonId) ?? 0));
    const timer = setInterval(() => {
      register().catch((error: unknown) => this.#options.logger.warn({ err: error }, "monitor watch not refreshed"));
    }, Math.max(100, Math.floor(watchTtlMs / 3)));
    timer.unref();
    signal.addEventListener(
      "abort",
      () => {
        clearInterval(timer);
        this.#local.delete(member);
        redis.zrem(this.#watchesKey, member).catch(() => undefined);
      },
      { once: true },
    );
  }

  async instances(): Promise<InstanceHeartbeat[]> {
    const all = await this.#options.redis.hgetall(this.#instancesKey);
    const since = this.#options.now() - this.#options.instanceTtlMs;
    return Object.values(all)
      .map((json) => JSON.parse(json) as InstanceHeartbeat)
      .filter((h) => h.at >= since)
      .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  }

  /** Stores this instance's heartbeat (InstanceHeartbeat, see instance-heartbeat.ts). */
  async beat(heartbeat: InstanceHeartbeat): Promise<void> {
    await this.#options.redis.hset(this.#instancesKey, heartbeat.instanceId, JSON.stringify(heartbeat));
  }

  /** Removes heartbeats of instances gone for a minute (any instance may sweep), or this one's. */
  async forget({ instanceId, olderThanMs }: { instanceId?: string; olderThanMs?: number }): Promise<void> {
    const { redis } = this.#options;
    if (instanceId) {
      await redis.hdel(this.#instancesKey, instanceId);
      return;
    }
    const cutoff = this.#options.now() - (olderThanMs ?? 60_000);
    const stale = Object.entries(await redis.hgetall(this.#instancesKey))
      .filter(([, json]) => (JSON.parse(json) as InstanceHeartbeat).at < cutoff)
      .map(([id]) => id);
    if (stale.length > 0) await redis.hdel(this.#instancesKey, ...stale);
  }

  #windowOf(lessonId: number, now: number): Window {
    let window = this.#windows.get(lessonId);
    if (!window || now - window.startedAt >= 1_000) {
      if (window) this.#reportDrops(lessonId, window);
      window = { startedAt: now, kept: 0, dropped: 0 };
      this.#windows.set(lessonId, window);
    }
    return window;
  }

  #reportDrops(lessonId: number, window: Window): void {
    if (window.dropped === 0) return;
    const notice: MonitorSamplingNotice = {
      type: "sampling",
      instance: this.#options.instanceId,
      kept: window.kept,
      dropped: window.dropped,
      windowMs: 1_000,
      at: window.startedAt,
    };
    this.#options.events.append(topics.monitor(lessonId), notice).catch(() => undefined);
  }

  async #refresh(): Promise<void> {
    const now = this.#options.now();
    try {
      const members = await this.#options.redis.zrangebyscore(this.#watchesKey, now, "+inf");
      const watched = new Map<number, number>();
      const add = (lessonId: number, rate: number) => watched.set(lessonId, Math.max(rate, watched.get(lessonId) ?? 0));
      for (const member of members) {
        const [lessonId, rate] = member.split(":").map(Number) as [number, number];
        if (Number.isInteger(lessonId) && rate > 0) add(lessonId, Math.min(1, rate));
      }
      for (const { lessonId, sampleRate } of this.#local.values()) add(lessonId, sampleRate);
      this.#watched = watched;
      // Expired registrations (of crashed instances) are swept by whoever refreshes.
      await this.#options.redis.zremrangebyscore(this.#watchesKey, "-inf", now - 1);
    } catch (error) {
      this.#options.logger.warn({ err: error }, "watched lessons not refreshed");
    }
    // Windows that ended with drops are reported even if no further event comes.
    for (const [lessonId, window] of this.#windows) {
      if (now - window.startedAt < 1_000) continue;
      this.#reportDrops(lessonId, window);
      this.#windows.delete(lessonId);
    }
  }
}
