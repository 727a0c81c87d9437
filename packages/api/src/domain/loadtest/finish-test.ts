import type { Prisma } from "@cohort/db";
import type { Deps } from "../../context.js";
import { loadTest } from "./load.js";
import { publishTest, publishTester } from "./publish.js";
import { buildResults } from "./results.js";
import { stopTesters } from "./stop-testers.js";
import { testerIndexOf } from "./tester-ids.js";

/**
 * Once every tester has either reported or failed, merges the reports into the test's results
 * and ends the test: stopped (by an admin), done, or failed when no tester reported. Returns
 * whether this call ended it; a concurrent call on another instance may have.
 */
export async function finishTestIfComplete(deps: Deps, testId: number): Promise<boolean> {
  const { db } = deps;
  const test = await loadTest(db, testId);
  if (test.state !== "LAUNCHING" && test.state !== "RUNNING") return false;
  if (test.testers.some((t) => t.state !== "DONE" && t.state !== "FAILED")) return false;
  const results = await buildResults({
    blobs: deps.blobs,
    test,
    final: true,
    onDamaged: async (testerId, reason) => {
      const index = testerIndexOf(testerId);
      if (index === undefined) return;
      await db.tester.updateMany({ where: { loadTestId: testId, index }, data: { state: "FAILED", error: reason } });
      await publishTester(deps, testId, { index, state: "FAILED", error: reason });
    },
  });
  const reported = results.testers.reported.length;
  const state = reported === 0 ? "FAILED" : test.stoppedAt ? "STOPPED" : "DONE";
  const error = reported === 0 ? (test.error ?? "No tester delivered a report") : test.error;
  const { count } = await db.loadTest.updateMany({
    where: { id: testId, state: { in: ["LAUNCHING", "RUNNING"] } },
    data: { state, error, results: { ...results, state: state.toLowerCase() } as unknown as Prisma.InputJsonValue },
  });
  if (count === 0) return false;
  await publishTest(deps, { ...test, state, error });
  stopTesters(deps, test);
  return true;
}
