import { decodeReport, ReportDecodeError, type TesterReport } from "@cohort/loadtest";
import type { Prisma } from "@cohort/db";
import type { Deps } from "../../context.js";
import { AppError } from "../../errors.js";
import { finishTestIfComplete } from "./finish-test.js";
import { publishTester } from "./publish.js";
import { testerIndexOf } from "./tester-ids.js";
import { tokenMatches } from "./token.js";
import { loadTestBlobs } from "./topics.js";

export interface ReportUpload {
  testId: number;
  testerId: string;
  /** From the `X-Test-Token` header. */
  token: string | undefined;
  /** The gzip body as received. */
  body: Buffer;
}

/**
 * Accepts a tester's final report (HTTP POST /testers/report): checks the test token, validates
 * the report, stores it in the blob store as received, and marks the tester done. A report that
 * does not validate marks the tester failed with the reason, so it shows in the results instead of
 * vanishing; so does a report after the tester was given up on.
 */
export async function acceptTesterReport(deps: Deps, upload: ReportUpload): Promise<{ reportKey: string }> {
  const { db } = deps;
  const test = await db.loadTest.findUnique({ where: { id: upload.testId }, select: { tokenHash: true, state: true } });
  if (!test || !tokenMatches(upload.token, test.tokenHash)) throw new AppError("BAD_TEST_TOKEN", "The test token is wrong");
  const index = testerIndexOf(upload.testerId);
  const tester = index === undefined ? null : await db.tester.findUnique({ where: { loadTestId_index: { loadTestId: upload.testId, index } } });
  if (!tester || index === undefined) throw new AppError("TESTER_NOT_FOUND", `Test ${upload.testId} has no tester ${upload.testerId}`);
  if (tester.state === "DONE") throw new AppError("REPORT_REFUSED", `Tester ${upload.testerId} has already reported`);
  if (tester.state === "FAILED") throw new AppError("REPORT_REFUSED", `Tester ${upload.testerId} was marked failed: ${tester.error ?? "unknown reason"}`);
  if (test.state !== "RUNNING") throw new AppError("REPORT_REFUSED", `Test ${upload.testId} is ${test.state.toLowerCase()}, not running`);
  if (!deps.blobs) throw new AppError("UNAVAILABLE", "This server has no blob store for reports");

  let report: TesterReport;
  try {
    report = decodeReport(upload.body);
    if (report.testId !== upload.testId || report.testerId !== upload.testerId) {
      throw new ReportDecodeError(`the report is of test ${report.testId} tester ${report.testerId}`);
    }
  } catch (error) {
    if (!(error instanceof ReportDecodeError)) throw error;
    const reason = `Corrupt report: ${error.message}`.slice(0, 1_000);
    await markFailed(deps, { testId: upload.testId, testerId: tester.id, index, reason });
    throw new AppError("REPORT_INVALID", reason, { cause: error });
  }

  const reportKey = loadTestBlobs.report(upload.testId, upload.testerId);
  await deps.blobs.put(reportKey, upload.body, { contentType: "application/gzip" });
  const summary = {
    clients: report.clients,
    stopReason: report.stopReason,
    counters: report.counters,
    saturated: report.process.saturated,
    saturation: report.process.reason ?? null,
  };
  // A tester that ran and reported before supervision got round to marking it running (a short
  // test on a busy server) is shown running first, so watchers always see the whole sequence.
  const { count: started } = await db.tester.updateMany({ where: { id: tester.id, state: "PENDING" }, data: { state: "RUNNING" } });
  if (started > 0) await publishTester(deps, upload.testId, { index, state: "RUNNING" });
  const { count } = await db.tester.updateMany({
    where: { id: tester.id, state: { notIn: ["DONE", "FAILED"] } },
    data: { state: "DONE", reportKey, report: summary as unknown as Prisma.InputJsonValue, error: null },
  });
  if (count === 0) throw new AppError("REPORT_REFUSED", `Tester ${upload.testerId} was given up on while its report arrived`);
  await publishTester(deps, upload.testId, { index, state: "DONE" });
  await finishQuietly(deps, upload.testId);
  return { reportKey };
}

async function markFailed(deps: Deps, { testId, testerId, index, reason }: { testId: number; testerId: number; index: number; reason: string }) {
  const { count } = await deps.db.tester.updateMany({
    where: { id: testerId, state: { notIn: ["DONE", "FAILED"] } },
    data: { state: "FAILED", error: reason },
  });
  if (count === 0) return;
  await publishTester(deps, testId, { index, state: "FAILED", error: reason });
  await finishQuietly(deps, testId);
}

/** The upload succeeded whatever happens next; the supervisor retries the finish. */
async function finishQuietly(deps: Deps, testId: number): Promise<void> {
  await finishTestIfComplete(deps, testId).catch((error: unknown) => deps.logger.warn({ err: error, testId }, "could not finish the load test"));
}
