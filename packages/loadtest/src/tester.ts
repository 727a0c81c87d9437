import { performance } from "node:perf_hooks";
import type { ProcessMonitor, ProcessSample } from "./process-monitor.js";
import type { TesterReport } from "./report.js";
import type { Schedule, ScheduledEvent } from "./schedule.js";
import type { Counters } from "./stats/counters.js";
import { TesterStats, type ClosedSecond, type TesterStatsOptions } from "./stats/tester-stats.js";
import { MAX_TRACE_SAMPLES, TraceSampler } from "./stats/trace-sampler.js";
import { defaultErrorCode, VirtualClient, type Actions } from "./virtual-client.js";

/** Live figures of one finished second. */
export interface SecondTick extends ClosedSecond {
  /** Cumulative counters at the time of the tick. */
  counters: Counters;
  process: ProcessSample | undefined;
}

export interface TesterOptions {
  testId: number;
  testerId: string;
  schedule: Schedule;
  /** Called once per client at the start of `run`, before the first event. */
  actions: (client: number) => Actions;
  monitor: ProcessMonitor;
  /**
   * Called after each wall-clock second with that second's histograms. A second may be reported
   * again (with everything it holds) if a late result arrives: replace, do not add. Runs in a
   * timer, so it must not throw; hand slow work (uploads) off instead of awaiting it.
   */
  onSecond?: (tick: SecondTick) => void;
  /**
   * An action without an ack after this long counts as a `TIMEOUT` error.
   * @default 30_000
   */
  actionTimeoutMs?: number;
  /** @default the server's appCode, else its tRPC code, else the error's name ({@link defaultErrorCode}) */
  errorCode?: (error: unknown) => string;
  /** @default 1000 */
  traceSamples?: number;
  stats?: TesterStatsOptions;
  /**
   * Epoch ms with sub-ms resolution; must agree with the schedule's `startAt`.
   * @default () => performance.timeOrigin + performance.now()
   */
  now?: () => number;
}

export interface Tester {
  /** Recording of what the actions alone cannot see, e.g. deliveries from `project.watch`. */
  readonly stats: TesterStats;
  /**
   * Runs the schedule open-loop: each event is sent at its intended time whether or not earlier ones
   * were acknowledged. Resolves with the report once the schedule is done and every send settled,
   * or soon after `signal` aborts (in-flight sends then count as cancelled).
   */
  run(options?: { signal?: AbortSignal }): Promise<TesterReport>;
}

/**
 * Events dispatched before yielding to I/O when the tester is behind: acks must still be read,
 * or a late tester would also stamp them late.
 */
const MAX_DISPATCH_PER_TURN = 500;

export function createTester(options: TesterOptions): Tester {
  const { testId, testerId, schedule, monitor, onSecond } = options;
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const actionTimeoutMs = options.actionTimeoutMs ?? 30_000;
  const stats = new TesterStats(options.stats);
  const sampler = new TraceSampler({ size: options.traceSamples ?? MAX_TRACE_SAMPLES });
  let started = false;

  const emitSeconds = (closed: readonly ClosedSecond[]) => {
    if (!onSecond) return;
    const counters = stats.counters();
    for (const second of closed) onSecond({ ...second, counters, process: monitor.latest() });
  };

  async function run({ signal }: { signal?: AbortSignal } = {}): Promise<TesterReport> {
    if (started) throw new Error("a tester runs once; create another");
    started = true;
    const clients = Array.from(
      { length: schedule.clients },
      (_, index) => new VirtualClient({ index, senderId: `${testerId}:${index}`, actions: options.actions(index), errorCode: options.errorCode ?? defaultErrorCode }),
    );
    const runController = new AbortController();
    const abort = () => runController.abort(signal?.reason);
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort, { once: true });
    const inFlight = new Set<Promise<void>>();
    monitor.start();

    const dispatch = (event: ScheduledEvent) => {
      const sentAt = now();
      stats.recordSend(event.kind, event.intendedAt, sentAt);
      const client = clients[event.client] as VirtualClient;
      const settled = client.send(event, { sentAt, timeoutMs: actionTimeoutMs, runSignal: runController.signal, now }).then((outcome) => {
        const trace = { kind: event.kind, client: event.client, seq: event.seq, intendedAt: event.intendedAt, sentAt, ackAt: outcome.at };
        if (outcome.status === "ok") {
          stats.recordAck(event.kind, event.intendedAt, outcome.at);
          sampler.offer({ ...trace, ok: true });
        } else if (outcome.status === "error") {
          stats.recordError(event.kind, outcome.code);
          sampler.offer({ ...trace, ok: false, code: outcome.code });
        } else {
          stats.recordCancelled();
        }
      });
      inFlight.add(settled);
      void settled.finally(() => inFlight.delete(settled));
    };

    // Per-second ticks on wall-clock boundaries, so that testers' seconds line up when merged.
    let tickTimer: NodeJS.Timeout | undefined;
    const tick = () => {
      emitSeconds(stats.closeSecondsBefore(Math.floor(now() / 1000)));
      tickTimer = setTimeout(tick, 1000 - (now() % 1000) + 5);
    };
    tickTimer = setTimeout(tick, 1000 - (now() % 1000) + 5);

    const stopReason = await new Promise<"completed" | "aborted">((resolve) => {
      const events = schedule[Symbol.iterator]();
      let next = events.next();
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        resolve("aborted");
      };
      const pump = () => {
        if (runController.signal.aborted) return;
        // Never before the intended time (that would hide latency); late is measured instead.
        for (let n = 0; !next.done && next.value.intendedAt <= now(); n++) {
          if (n === MAX_DISPATCH_PER_TURN) {
            timer = setTimeout(pump, 0);
            return;
          }
          dispatch(next.value);
          next = events.next();
        }
        if (next.done) {
          runController.signal.removeEventListener("abort", onAbort);
          resolve("completed");
          return;
        }
        timer = setTimeout(pump, Math.max(0, Math.ceil(next.value.intendedAt - now())));
      };
      if (runController.signal.aborted) return resolve("aborted");
      runController.signal.addEventListener("abort", onAbort, { once: true });
      pump();
    });

    // Settles within actionTimeoutMs, or at once if the run is aborted meanwhile.
    while (inFlight.size > 0) await Promise.all(inFlight);
    signal?.removeEventListener("abort", abort);
    clearTimeout(tickTimer);
    emitSeconds(stats.closeSecondsBefore(Infinity));
    const processStats = monitor.stop();
    const { perSecond, perSecondDropped } = stats.perSecond();
    return {
      testId,
      testerId,
      clients: schedule.clients,
      startedAt: schedule.startAt,
      endedAt: now(),
      stopReason: runController.signal.aborted ? "aborted" : stopReason,
      histograms: stats.histograms(),
      perSecond,
      perSecondDropped,
      counters: stats.counters(),
      process: processStats,
      sampledTraces: sampler.samples(),
    };
  }

  return { stats, run };
}
