import { router } from "../../trpc.js";
import { registerTester } from "./register-tester.js";
import { onTesterStart } from "./on-tester-start.js";
import { reportProgress } from "./report-progress.js";

/** Procedures of tester processes (per-test token). Reports are uploaded over HTTP: POST /testers/report. */
export const testerRouter = router({
  register: registerTester,
  awaitStart: onTesterStart,
  progress: reportProgress,
});
