// npm run loadtest -- --server URL --clients 50 --duration 60 [--target PARTICIPANT] [--launcher local|ecs]
//   [--lesson ID] [--admin-key KEY] [--rate 2] [--clients-per-tester 50] [--tester-url ws://…]
//   [--max-p99 MS] [--delete]
// Creates a load test through the admin API (admin key from ADMIN_KEY unless --admin-key; the most
// recent active lesson unless --lesson), starts it, shows progress once a second, prints the
// results table, and exits 1 when the test failed or a p99 exceeds --max-p99.
import type { LiveSecond, LoadTestEvent, LoadTestResults, LoadTestView } from "@cohort/api";
import { createCohortClient } from "@cohort/sdk";
import WebSocket from "ws";
import { CliUsageError, parseCliArgs, type CliArgs } from "./cli-args.js";
import { decideCliOutcome } from "./cli-exit-code.js";
import { renderResultsTable } from "./cli-table.js";
import { pickLesson } from "./pick-lesson.js";
import { DEFAULT_WEIGHTS } from "./scenario.js";

let args: CliArgs;
try {
  args = parseCliArgs(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof CliUsageError)) throw error;
  console.error(error.message);
  process.exit(error.exitCode);
}

const admin = createCohortClient({ url: args.serverUrl, adminKey: args.adminKey, WebSocket });
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
  const lessonId = args.lessonId ?? (await chooseLesson());
  const created = await admin.api.loadtest.create.mutate({
    lessonId,
    serverUrl: args.testerUrl,
    clients: args.clients,
    durationSec: args.durationSec,
    launcher: args.launcher,
    clientsPerTester: args.clientsPerTester,
    scenario: { ratePerClient: args.ratePerClient, weights: { ...DEFAULT_WEIGHTS } },
    ...(args.targetParticipantId !== undefined ? { targetParticipantId: args.targetParticipantId } : {}),
  });
  console.log(`Load test ${created.id}: ${created.clients} clients in ${created.testers.length} testers, ${created.durationSec} s, ${args.launcher} launcher`);
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
  if (args.deleteAfter) await admin.api.loadtest.delete.mutate({ testId: created.id });

  const outcome = decideCliOutcome({ finalState: final.state, error: final.error, histograms: results.histograms, maxP99Ms: args.maxP99Ms });
  for (const message of outcome.messages) console.log(message);
  return outcome.exitCode;
}

/** Without --lesson: the most recent active lesson, named so the operator sees what is loaded. */
async function chooseLesson(): Promise<number> {
  const lesson = pickLesson(await admin.api.lesson.list.query());
  console.log(`No --lesson given: loading lesson ${lesson.id} "${lesson.name}" (${lesson.courseName}), the most recent active one`);
  return lesson.id;
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
