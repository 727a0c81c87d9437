// npm run loadtest -- --server ws://localhost:4000/trpc --admin-key KEY --lesson 1 --clients 50 --duration 60
//   [--target PARTICIPANT] [--launcher local|ecs] [--rate 2] [--clients-per-tester 50]
//   [--tester-url ws://…] [--max-p99 MS] [--delete]
// Creates a load test through the admin API, starts it, shows progress once a second, prints the
// results table, and exits 1 when the test failed or a p99 exceeds --max-p99.
import { parseArgs } from "node:util";
import type { LiveSecond, LoadTestEvent, LoadTestResults, LoadTestView } from "@cohort/api";
import { createCohortClient } from "@cohort/sdk";
import WebSocket from "ws";
import { renderResultsTable } from "./cli-table.js";
import { DEFAULT_RATE_PER_CLIENT, DEFAULT_WEIGHTS } from "./scenario.js";
import { findP99Violations } from "./stats/summarize-latency.js";

const USAGE = "usage: npm run loadtest -- --server WS_URL --admin-key KEY --lesson ID --clients N --duration SEC [--target ID] [--launcher local|ecs] [--rate N] [--clients-per-tester N] [--tester-url WS_URL] [--max-p99 MS] [--delete]";

const { values } = parseArgs({
  options: {
    server: { type: "string" },
    "admin-key": { type: "string" },
    lesson: { type: "string" },
    clients: { type: "string", default: "50" },
    duration: { type: "string", default: "60" },
    target: { type: "string" },
    launcher: { type: "string", default: "local" },
    rate: { type: "string", default: String(DEFAULT_RATE_PER_CLIENT) },
    "clients-per-tester": { type: "string", default: "50" },
    "tester-url": { type: "string" },
    "max-p99": { type: "string" },
    delete: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

const adminKey = values["admin-key"] ?? process.env.COHORT_ADMIN_KEY;
if (values.help || !values.server || !adminKey || !values.lesson) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
const launcher = values.launcher === "ecs" ? "ecs" : "local";
const maxP99Ms = values["max-p99"] === undefined ? undefined : Number(values["max-p99"]);

const admin = createCohortClient({ url: values.server, adminKey, WebSocket });
let exitCode = 0;
try {
  exitCode = await run();
} catch (error) {
  console.error(`load test failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await admin.close();
}
process.exit(exitCode);

async function run(): Promise<number> {
  const created = await admin.api.loadtest.create.mutate({
    lessonId: Number(values.lesson),
    serverUrl: values["tester-url"] ?? (values.server as string),
    clients: Number(values.clients),
    durationSec: Number(values.duration),
    launcher,
    clientsPerTester: Number(values["clients-per-tester"]),
    scenario: { ratePerClient: Number(values.rate), weights: { ...DEFAULT_WEIGHTS } },
    ...(values.target ? { targetParticipantId: Number(values.target) } : {}),
  });
  console.log(`Load test ${created.id}: ${created.clients} clients in ${created.testers.length} testers, ${created.durationSec} s, ${launcher} launcher`);
  const finished = watchTest(created.id);
  const stop = () => {
    console.log("\nstopping…");
    void admin.api.loadtest.stop.mutate({ testId: created.id }).catch(() => undefined);
  };
  process.once("SIGINT", stop);
  await admin.api.loadtest.start.mutate({ testId: created.id });
  const final = await finished;
  process.off("SIGINT", stop);

  const results: LoadTestResults = await admin.api.loadtest.results.query({ testId: created.id });
  console.log("");
  console.log(
    renderResultsTable({
      testId: results.testId,
      testerIds: results.testers.reported,
      clients: results.clients,
      startedAt: results.startedAt ?? 0,
      endedAt: results.endedAt ?? 0,
      histograms: results.histograms,
      perSecond: {},
      perSecondDropped: 0,
      counters: results.counters,
      saturatedTesterIds: results.testers.saturated.map((s) => s.testerId),
      abortedTesterIds: results.testers.aborted,
    }),
  );
  for (const failed of results.testers.failed) console.log(`FAILED tester ${failed.testerId}: ${failed.error ?? "unknown reason"}`);
  for (const warning of results.warnings) console.log(`warning: ${warning}`);
  console.log(`Raw reports: ${results.reports.keys.join(", ") || "none"}`);
  if (values.delete) await admin.api.loadtest.delete.mutate({ testId: created.id });

  let code = 0;
  if (final.state === "failed") {
    console.log(`The test failed: ${final.error ?? "unknown reason"}`);
    code = 1;
  }
  if (maxP99Ms !== undefined) {
    const violations = findP99Violations(results.histograms, maxP99Ms);
    for (const v of violations) console.log(`p99 of ${v.key} is ${(v.valuesMs[0] as number).toFixed(1)} ms, above --max-p99 ${maxP99Ms} ms`);
    if (violations.length > 0) code = 1;
  }
  return code;
}

/** Prints one progress line a second until the test ends; resolves with its final state. */
function watchTest(testId: number): Promise<{ state: string; error: string | null }> {
  return new Promise((resolve, reject) => {
    let test: LoadTestView | null = null;
    const testers = new Map<string, string>();
    let last: LiveSecond | null = null;
    const timer = setInterval(() => {
      if (test) console.log(progressLine(test, testers, last));
    }, 1_000);
    const subscription = admin.api.loadtest.watch.subscribe(
      { testId },
      {
        onData: (event: { type: "snapshot"; test: LoadTestView } | LoadTestEvent | LiveSecond) => {
          if (event.type === "snapshot") {
            test = event.test;
            for (const t of event.test.testers) testers.set(t.testerId, t.state);
          } else if (event.type === "tester") {
            testers.set(event.testerId, event.state);
            if (event.state === "failed") console.log(`tester ${event.testerId} failed: ${event.error ?? "unknown reason"}`);
          } else if (event.type === "second") {
            if (!last || event.second >= last.second) last = event;
          } else if (event.type === "test" && test) {
            test = { ...test, state: event.state, startAt: event.startAt, endAt: event.endAt, error: event.error };
            if (["done", "stopped", "failed"].includes(event.state)) {
              clearInterval(timer);
              subscription.unsubscribe();
              resolve({ state: event.state, error: event.error });
            }
          }
        },
        onError: (error) => {
          clearInterval(timer);
          reject(error);
        },
      },
    );
  });
}

function progressLine(test: LoadTestView, testers: ReadonlyMap<string, string>, last: LiveSecond | null): string {
  const counts = new Map<string, number>();
  for (const state of testers.values()) counts.set(state, (counts.get(state) ?? 0) + 1);
  const states = [...counts].map(([state, n]) => `${n} ${state}`).join(", ");
  if (!test.startAt || !test.endAt || Date.now() < test.startAt) return `${test.state} · testers: ${states}`;
  const total = (test.endAt - test.startAt) / 1000;
  const elapsed = Math.min(total, Math.max(0, (Date.now() - test.startAt) / 1000));
  const width = 30;
  const filled = Math.round((elapsed / Math.max(total, 1)) * width);
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  const figures = last ? ` · ${last.acks} acks/s · p50 ${last.p50Ms.toFixed(1)} ms · p99 ${last.p99Ms.toFixed(1)} ms · errors ${last.errors}` : "";
  return `${bar} ${elapsed.toFixed(0)}/${total.toFixed(0)} s · testers: ${states}${figures}`;
}
