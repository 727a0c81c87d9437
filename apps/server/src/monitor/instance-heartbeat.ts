import type { Logger } from "@cohort/api";
import type { Metrics } from "../metrics.js";
import type { RedisMonitor } from "./redis-monitor.js";

export interface InstanceHeartbeatOptions {
  monitor: RedisMonitor;
  metrics: Metrics;
  instanceId: string;
  logger: Logger;
  /** @default 2_000 */
  everyMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Writes this instance's connections and message rates (from its Prometheus metrics) to Redis
 * every `everyMs`, for monitor.instances and the heartbeats of monitor.watch.
 */
export function startInstanceHeartbeat({ monitor, metrics, instanceId, logger, everyMs = 2_000, now = Date.now }: InstanceHeartbeatOptions) {
  const startedAt = now();
  let previous: { at: number; messagesIn: number; messagesOut: number } | null = null;
  let beats = 0;

  const beat = async () => {
    const [connections, messagesIn, messagesOut] = await Promise.all([
      metrics.connections.get().then(total),
      metrics.messagesIn.get().then(total),
      metrics.messagesOut.get().then(total),
    ]);
    const at = now();
    const seconds = previous ? Math.max(0.001, (at - previous.at) / 1000) : 1;
    const rate = (current: number, before: number | undefined) => (before === undefined ? 0 : Math.max(0, current - before) / seconds);
    await monitor.beat({
      instanceId,
      connections,
      messagesInPerSec: round1(rate(messagesIn, previous?.messagesIn)),
      messagesOutPerSec: round1(rate(messagesOut, previous?.messagesOut)),
      startedAt,
      at,
    });
    previous = { at, messagesIn, messagesOut };
    // Now and then, sweep heartbeats of instances that died without saying goodbye.
    if (++beats % 30 === 0) await monitor.forget({ olderThanMs: 60_000 });
  };

  const run = () => beat().catch((error: unknown) => logger.warn({ err: error }, "instance heartbeat failed"));
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    /** Stops beating; a graceful stop also removes this instance from the list at once. */
    async stop({ graceful = true }: { graceful?: boolean } = {}) {
      clearInterval(timer);
      if (graceful) await monitor.forget({ instanceId }).catch(() => undefined);
    },
  };
}

function total(metric: { values: { value: number }[] }): number {
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
