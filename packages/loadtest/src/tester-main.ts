// A tester process: `node --import tsx packages/loadtest/src/tester-main.ts` with the variables a
// launcher sets (COHORT_TEST_ID, COHORT_TESTER_ID(S), COHORT_SERVER_URL, COHORT_TEST_TOKEN, …).
import WebSocket from "ws";
import { parseTesterEnvironment, type TesterConfig } from "./launchers/tester-environment.js";
import { runTester } from "./run-tester.js";

const log = (msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ at: new Date().toISOString(), pid: process.pid, msg, ...fields }));

let config: TesterConfig;
try {
  config = parseTesterEnvironment(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

// First SIGTERM: stop the run and still upload what was measured. Second: leave at once.
const controller = new AbortController();
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    log("stopping", { signal });
    controller.abort();
  });
}

try {
  const result = await runTester({ config, WebSocket, signal: controller.signal, log });
  log("done", { testerId: result.testerId, reported: result.reportKey !== null });
  process.exit(0);
} catch (error) {
  log("failed", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
