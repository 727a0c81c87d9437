// A load-generator process. The coordinator forks one or more of these (never inside the server's
// process), sends the spec, waits for "ready" from all, then sends one common start time.
import { performance } from "node:perf_hooks";
import { createLatencyHistogram, createProcessMonitor, encodeHistogram } from "@cohort/loadtest";
import type { BenchClient, BenchClientContext, BenchClientFactory } from "./clients/bench-client.js";
import { createCohortBenchClient } from "./clients/cohort-client.js";
import { createHocuspocusClient } from "./clients/hocuspocus-client.js";
import { createSocketIoClient } from "./clients/socketio-client.js";
import { createWsClient } from "./clients/ws-client.js";
import { expectedPerReceiver, IntendedTable } from "./intended-table.js";
import type { DriverReport, DriverSpec, FromDriver, SystemName, ToDriver } from "./protocol.js";
import { DeliveryRecorder } from "./recorder.js";

const factories: Record<SystemName, BenchClientFactory> = {
  ws: createWsClient,
  socketio: createSocketIoClient,
  hocuspocus: createHocuspocusClient,
  cohort: createCohortBenchClient,
};

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const MAX_ERRORS = 10;

function send(message: FromDriver): void {
  process.send?.(message);
}

function nextMessage<T extends ToDriver["type"]>(...types: T[]): Promise<Extract<ToDriver, { type: T }>> {
  return new Promise((resolve) => {
    const onMessage = (message: ToDriver) => {
      if (!(types as string[]).includes(message.type)) return;
      process.off("message", onMessage);
      resolve(message as Extract<ToDriver, { type: T }>);
    };
    process.on("message", onMessage);
  });
}

/** Runs `work` over items with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}

async function run(spec: DriverSpec, driver: number): Promise<void> {
  const errors: string[] = [];
  const noteError = (error: unknown) => {
    if (errors.length < MAX_ERRORS) errors.push(error instanceof Error ? error.message : String(error));
  };
  const own = spec.clients.slice(spec.own.from, spec.own.to);
  const start = spec.mode === "stream" ? undefined : await startPlainRun(spec, own, noteError);
  if (start) {
    const report = await start(driver, errors);
    send({ type: "report", report });
    return;
  }
  // Stream mode: the schedule needs the start time, so the table is built after "go"; clients
  // connect first and report into the recorder through a late-bound reference.
  const late: { recorder?: DeliveryRecorder } = {};
  const clients = new Map<number, BenchClient>();
  let connectFailures = 0;
  await eachLimited(own, spec.connectConcurrency, async (client) => {
    const context: BenchClientContext = {
      spec,
      client,
      deliver: (marker, at, stages) => late.recorder?.deliver(client.index, marker, at, stages),
      unattributed: () => late.recorder && late.recorder.unattributed++,
      reset: () => late.recorder && late.recorder.resets++,
      sendFailed: (error) => {
        if (late.recorder) late.recorder.sendErrors++;
        noteError(error);
      },
      now,
    };
    const benchClient = factories[spec.system](context);
    try {
      await benchClient.connect();
      clients.set(client.index, benchClient);
    } catch (error) {
      connectFailures++;
      noteError(error);
    }
  });
  send({ type: "ready", connected: clients.size, failed: connectFailures });
  const { startAt } = await nextMessage("go");
  const traffic = spec.traffic!;
  const table = new IntendedTable(spec.clients, traffic, startAt);
  const expected = expectedPerReceiver(spec.clients, table);
  const recorder = new DeliveryRecorder({ table, expected, receivers: own.map((c) => c.index), senders: spec.clients.length });
  late.recorder = recorder;
  const plan = table.plan(own.filter((c) => c.send).map((c) => c.index));
  const monitor = createProcessMonitor({ sampleIntervalMs: 500 });
  await sleep(startAt - now());
  monitor.start();
  // Open loop: each message goes at its intended time whatever the server does; when the
  // generator falls behind it sends at once and the lateness counts in the latency.
  const hardStop = startAt + traffic.durationMs + spec.drainMs + 5_000;
  for (let i = 0; i < plan.length; ) {
    const t = now();
    if (t > hardStop) break;
    for (let planned = plan[i]; planned && planned.intendedAt <= t; planned = plan[++i]) {
      recorder.recordSend(planned.kind, t - planned.intendedAt);
      if (process.env.BENCH_DEBUG_LAG && t - planned.intendedAt > 5) console.error(`lag ${(t - planned.intendedAt).toFixed(1)} at +${(t - startAt).toFixed(0)}`);
      clients.get(planned.sender)?.send(planned.kind, planned.kseq, planned.intendedAt);
    }
    const next = plan[i];
    if (next) await sleep(next.intendedAt - now());
  }
  const endAt = startAt + traffic.durationMs;
  await sleep(endAt - now());
  // Drain: wait until every edit has arrived (cursor moves may be coalesced by design) and nothing
  // came for a moment, or until the drain time is up.
  const drainUntil = endAt + spec.drainMs;
  while (now() < drainUntil) {
    if (recorder.complete() || (recorder.complete(["edit"]) && now() - recorder.lastDeliveryAt > 500)) break;
    await sleep(50);
  }
  const processStats = monitor.stop();
  await Promise.all([...clients.values()].map((c) => c.close().catch(noteError)));
  send({
    type: "report",
    report: {
      driver,
      clients: own.length,
      connectFailures,
      counts: recorder.counts(),
      ...recorder.encoded(),
      process: processStats,
      errors,
    },
  });
}

/** Join and idle modes: no schedule, no recorder. */
async function startPlainRun(spec: DriverSpec, own: DriverSpec["clients"], noteError: (error: unknown) => void) {
  const context = (client: DriverSpec["clients"][number]): BenchClientContext => ({
    spec,
    client,
    deliver: () => undefined,
    unattributed: () => undefined,
    reset: () => undefined,
    sendFailed: noteError,
    now,
  });
  const emptyCounts = () => {
    const zero = { edit: 0, cursor: 0 };
    return { sent: zero, expected: zero, received: zero, duplicates: 0, unattributed: 0, resets: 0, sendErrors: 0, receiversShort: 0 };
  };
  const empty = encodeHistogram(createLatencyHistogram());

  if (spec.mode === "idle") {
    const clients: BenchClient[] = [];
    let failed = 0;
    // Several steps, so the coordinator can fit memory against the number of clients.
    const phases = Math.max(1, spec.idlePhases ?? 1);
    for (let phase = 0; phase < phases; phase++) {
      const chunk = own.slice(Math.floor((own.length * phase) / phases), Math.floor((own.length * (phase + 1)) / phases));
      await eachLimited(chunk, spec.connectConcurrency, async (client) => {
        const benchClient = factories[spec.system](context(client));
        try {
          await benchClient.connect();
          clients.push(benchClient);
        } catch (error) {
          failed++;
          noteError(error);
        }
      });
      send({ type: "ready", connected: clients.length, failed });
      const { type } = await nextMessage("next", "stop");
      if (type === "stop") break;
    }
    await eachLimited(clients, 50, (c) => c.close().catch(noteError));
    return async (driver: number, errors: string[]): Promise<DriverReport> => ({
      driver,
      clients: own.length,
      connectFailures: failed,
      counts: emptyCounts(),
      latency: empty,
      latencyByKind: { edit: empty, cursor: empty },
      sendLag: empty,
      process: createProcessMonitor().stop(),
      errors,
    });
  }

  // Join storm: everyone starts at the same instant; time-to-synced counts from that instant.
  send({ type: "ready", connected: 0, failed: 0 });
  const { startAt } = await nextMessage("go");
  const joinTimes = createLatencyHistogram();
  const monitor = createProcessMonitor({ sampleIntervalMs: 500 });
  const clients: BenchClient[] = [];
  let failures = 0;
  await sleep(startAt - now());
  monitor.start();
  const deadline = sleep(spec.deadlineMs - 10_000).then(() => "timeout" as const);
  await Promise.all(
    own.map(async (client) => {
      const benchClient = factories[spec.system](context(client));
      clients.push(benchClient);
      try {
        const files = await Promise.race([benchClient.joinAndSync(), deadline]);
        if (files === "timeout" || files !== spec.join?.files) throw new Error(`client ${client.index} synced ${String(files)} files`);
        joinTimes.recordValue(Math.max(1, Math.round((now() - startAt) * 1000)));
      } catch (error) {
        failures++;
        noteError(error);
      }
    }),
  );
  const processStats = monitor.stop();
  await eachLimited(clients, 50, (c) => c.close().catch(noteError));
  return async (driver: number, errors: string[]): Promise<DriverReport> => ({
    driver,
    clients: own.length,
    connectFailures: 0,
    counts: emptyCounts(),
    latency: empty,
    latencyByKind: { edit: empty, cursor: empty },
    sendLag: empty,
    joinTimes: encodeHistogram(joinTimes),
    joinFailures: failures,
    process: processStats,
    errors,
  });
}

const { spec, driver } = await nextMessage("spec");
// Whatever happens, the driver ends: the coordinator must never wait forever.
const deadline = setTimeout(() => {
  send({ type: "fatal", message: `driver ${driver} passed its deadline of ${spec.deadlineMs} ms` });
  process.exit(2);
}, spec.deadlineMs);
deadline.unref();
try {
  await run(spec, driver);
} catch (error) {
  send({ type: "fatal", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
process.disconnect?.();
setTimeout(() => process.exit(0), 200).unref();
