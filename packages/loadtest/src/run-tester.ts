import type { TesterControlEvent } from "@cohort/api";
import { appCodeOf, createCohortClient, type ClockEstimate, type CohortClient } from "@cohort/sdk";
import type { TesterConfig } from "./launchers/tester-environment.js";
import { withMovableEnd } from "./movable-end-schedule.js";
import { createProcessMonitor } from "./process-monitor.js";
import type { TesterReport } from "./report.js";
import { zWeights } from "./scenario.js";
import { createSchedule } from "./schedule.js";
import { createSdkActions } from "./sdk-actions.js";
import type { TesterStats } from "./stats/tester-stats.js";
import { deliveryKey } from "./stats/tester-stats.js";
import { createTester, type SecondTick } from "./tester.js";
import { uploadReport } from "./upload-report.js";
import { VirtualSession } from "./virtual-session.js";

export interface RunTesterOptions {
  config: TesterConfig;
  /** WebSocket implementation (Node 20: the `ws` package). */
  WebSocket: unknown;
  /** Aborting stops the run early; what was measured is still uploaded. */
  signal?: AbortSignal;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /**
   * An action without an ack after this long counts as a TIMEOUT error. Keep it well inside the
   * server's report grace, or the report arrives too late.
   * @default 10_000
   */
  actionTimeoutMs?: number;
  /**
   * Virtual clients connecting at once.
   * @default 10
   */
  connectConcurrency?: number;
  /**
   * Give up when no start time comes in this long after getting ready.
   * @default 600_000
   */
  startTimeoutMs?: number;
  /**
   * After the run, wait until no delivery came for this long (or `drainMaxMs`) before counting loss.
   * @default 1_000
   */
  drainQuietMs?: number;
  /** @default 5_000 */
  drainMaxMs?: number;
}

export interface RunTesterResult {
  testerId: string;
  /** Null when the test was stopped (or deleted) before its start: nothing was measured. */
  report: TesterReport | null;
  reportKey: string | null;
}

/** Longest a schedule can run; the real end comes from the server and may move. */
const MAX_SCHEDULE_MS = 24 * 3_600_000;

/**
 * A tester process from start to end: claims a tester id, connects its virtual clients as the
 * test's tester accounts, gets ready, waits for the common start, runs the scenario open-loop
 * (posting per-second progress), counts deliveries and loss, and uploads its report.
 */
export async function runTester(options: RunTesterOptions): Promise<RunTesterResult> {
  const { config, WebSocket } = options;
  const log = options.log ?? (() => {});
  const control = createCohortClient({ url: config.serverUrl, tester: { testId: config.testId, testToken: config.testToken }, WebSocket });
  const sessions: VirtualSession[] = [];
  try {
    const registration = await claim(control, config);
    const { testerId } = registration;
    log("registered", { testerId, clients: registration.accounts.length });
    // Deliveries are recorded into the tester's stats once it exists (none are due before the start).
    const sink: { stats?: TesterStats } = {};
    let clock: ClockEstimate | null = null;
    let delivered = 0;
    await mapLimit(registration.accounts, options.connectConcurrency ?? 10, async (account, index) => {
      sessions[index] = await VirtualSession.open({
        url: config.serverUrl,
        testId: config.testId,
        testToken: config.testToken,
        account,
        lessonId: registration.lessonId,
        targetParticipantId: registration.targetParticipantId,
        path: `loadtest-${testerId}-${index}.txt`,
        WebSocket,
        clock: () => clock,
        onDelivery: (d) => {
          delivered++;
          sink.stats?.recordLatency(deliveryKey(d.kind), d.intendedAtMs, d.receivedAtMs);
        },
      });
    });
    // One clock estimate for the whole process (its clients share the machine's clock).
    const estimate = await control.syncClock(8);
    clock = estimate;
    log("ready", { testerId, clockOffsetMs: estimate.offsetMs, clockUncertaintyMs: estimate.uncertaintyMs });

    // Server times → this process's clock.
    const toLocal = (serverMs: number) => serverMs - estimate.offsetMs;
    const run = new AbortController();
    const abort = () => run.abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    let endAt = Infinity;
    const start = await awaitStart(control, { testId: config.testId, testerId, timeoutMs: options.startTimeoutMs ?? 600_000, signal: run.signal, log }, {
      onExtend: (serverEndAt) => (endAt = toLocal(serverEndAt)),
      onStop: (reason) => {
        log("stop", { testerId, reason });
        run.abort();
      },
    });
    if (!start) return { testerId, report: null, reportKey: null };
    endAt = toLocal(start.endAt);
    log("start", { testerId, startAt: start.startAt, endAt: start.endAt });

    const { scenario } = registration;
    const schedule = withMovableEnd(
      createSchedule({
        clients: sessions.length,
        ratePerClient: scenario.ratePerClient,
        weights: zWeights.parse(scenario.weights),
        startAt: toLocal(start.startAt),
        durationMs: MAX_SCHEDULE_MS,
        seed: registration.seed,
      }),
      () => endAt,
    );
    const tester = createTester({
      testId: config.testId,
      testerId,
      schedule,
      actions: (client) => createSdkActions(sessions[client] as VirtualSession),
      monitor: createProcessMonitor(),
      actionTimeoutMs: options.actionTimeoutMs ?? 10_000,
      onSecond: (tick) => postProgress(control, { testId: config.testId, testerId, tick, delivered }),
    });
    const { stats } = tester;
    sink.stats = stats;
    const measured = await tester.run({ signal: run.signal });
    await drainDeliveries(sessions, { quietMs: options.drainQuietMs ?? 1_000, maxMs: options.drainMaxMs ?? 5_000 });
    for (const session of sessions) session.stopReceiving();
    countDeliveries(stats, { sessions, testerId, shared: registration.targetParticipantId !== null });
    const report: TesterReport = {
      ...measured,
      histograms: stats.histograms(),
      counters: stats.counters(),
      ...stats.perSecond(),
      clock: { offsetMs: estimate.offsetMs, uncertaintyMs: estimate.uncertaintyMs, rttMs: estimate.rttMs, samples: estimate.samples },
    };
    const { reportKey } = await uploadReport({ serverUrl: config.serverUrl, testToken: config.testToken, report });
    log("reported", { testerId, reportKey, sent: report.counters.sent, acked: report.counters.acked, delivered: report.counters.delivered });
    options.signal?.removeEventListener("abort", abort);
    return { testerId, report, reportKey };
  } finally {
    // Sessions opened before a failure to open the others are closed too (the array may have holes).
    await Promise.allSettled(sessions.filter(Boolean).map((s) => s.close()));
    await control.close();
  }
}

type Registration = Awaited<ReturnType<CohortClient["api"]["tester"]["register"]["mutate"]>>;

/** Claims the first free tester id (ECS tasks of one batch share a list of candidates). */
async function claim(control: CohortClient, config: TesterConfig): Promise<Registration> {
  for (const testerId of config.testerIds) {
    try {
      return await control.api.tester.register.mutate({ testId: config.testId, testerId });
    } catch (error) {
      if (appCodeOf(error) !== "TESTER_TAKEN") throw error;
    }
  }
  throw new Error(`every tester id was taken: ${config.testerIds.join(", ")}`);
}

/**
 * Subscribes to tester.awaitStart (which also tells the server this tester is ready) and resolves
 * with the start, or null if the test stops first. Later events (extend, stop) go to the handlers.
 */
function awaitStart(
  control: CohortClient,
  { testId, testerId, timeoutMs, signal, log }: { testId: number; testerId: string; timeoutMs: number; signal: AbortSignal; log: NonNullable<RunTesterOptions["log"]> },
  handlers: { onExtend: (endAt: number) => void; onStop: (reason: string) => void },
): Promise<{ startAt: number; endAt: number } | null> {
  return new Promise((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => {
      if (!started) reject(new Error(`no start time came within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      if (!started) resolve(null);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    control.api.tester.awaitStart.subscribe(
      { testId, testerId },
      {
        onData: (event: TesterControlEvent) => {
          if (event.type === "start" && !started) {
            started = true;
            clearTimeout(timer);
            resolve({ startAt: event.startAt, endAt: event.endAt });
          } else if (event.type === "extend") {
            handlers.onExtend(event.endAt);
          } else if (event.type === "stop") {
            handlers.onStop(event.reason);
            onAbort();
          }
        },
        onError: (error) => {
          log("control subscription failed", { error: String(error) });
          clearTimeout(timer);
          if (!started) reject(error);
        },
      },
    );
  });
}

function postProgress(control: CohortClient, { testId, testerId, tick, delivered }: { testId: number; testerId: string; tick: SecondTick; delivered: number }): void {
  const { counters } = tick;
  control.api.tester.progress
    .mutate({
      testId,
      testerId,
      second: tick.second,
      histograms: tick.histograms,
      counters: { sent: counters.sent, acked: counters.acked, errors: Object.values(counters.errors).reduce((a, b) => a + b, 0), delivered },
      ...(tick.process ? { process: tick.process } : {}),
    })
    // Progress is for watching only; the report carries every second again.
    .catch(() => undefined);
}

/** Waits until no delivery arrived for `quietMs`, at most `maxMs`. */
async function drainDeliveries(sessions: readonly VirtualSession[], { quietMs, maxMs }: { quietMs: number; maxMs: number }): Promise<void> {
  const until = Date.now() + maxMs;
  while (Date.now() < until) {
    const last = Math.max(0, ...sessions.map((s) => s.lastDeliveryAt));
    if (Date.now() - last >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Loss and order per receiver. A receiver is owed every acknowledged edit of the clients whose
 * project it watches that this tester knows of: all of its own clients when they share a target,
 * else just its own. (Other testers' senders are received and timed, but their loss is counted
 * by nobody; cursors are not owed, since the server coalesces them on purpose.)
 */
function countDeliveries(stats: TesterStats, { sessions, testerId, shared }: { sessions: readonly VirtualSession[]; testerId: string; shared: boolean }): void {
  const sentBy = (index: number) => [`${testerId}:${index}`, (sessions[index] as VirtualSession).ackedEdits] as const;
  const everyone = new Map(sessions.map((_, index) => sentBy(index)));
  sessions.forEach((session, index) => {
    const owed = shared ? everyone : new Map([sentBy(index)]);
    stats.recordDelivery(session.receipts.edit.summarize(owed));
    const cursors = session.receipts.cursor.summarize(new Map());
    stats.recordDelivery({ delivered: cursors.delivered, duplicates: cursors.duplicates, lost: 0, outOfOrder: 0 });
  });
}

/** Runs `work` over `items` with at most `limit` at once; rejects on the first failure. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
