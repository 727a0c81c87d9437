import type { Deps } from "../../context.js";
import { beginTestIfReady } from "./begin-test.js";
import { failTesters } from "./fail-testers.js";
import { finishTestIfComplete } from "./finish-test.js";
import { publishTester } from "./publish.js";

/**
 * One pass over the tests in flight, run every second by each server instance (every step is a
 * conditional update, so instances do not trip over each other, and a test survives the death of
 * the instance that launched it): starts tests whose registration timeout passed, marks testers
 * running once the start has come, fails testers whose report is overdue, and ends complete tests.
 * The deadlines are the test's own (fixed at its creation), whichever instance applies them.
 */
export async function superviseLoadTests(deps: Deps): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  const active = await db.loadTest.findMany({
    where: { state: { in: ["LAUNCHING", "RUNNING"] } },
    select: { id: true, state: true, launchedAt: true, startAt: true, endAt: true, registerTimeoutMs: true, reportGraceMs: true },
  });
  for (const test of active) {
    try {
      if (test.state === "LAUNCHING" && !test.startAt) {
        const overdue = test.launchedAt !== null && now - test.launchedAt.getTime() > test.registerTimeoutMs;
        if (await beginTestIfReady(deps, test.id, { force: overdue })) await finishTestIfComplete(deps, test.id);
        continue;
      }
      if (test.startAt && test.startAt.getTime() <= now) await markRunning(deps, test.id);
      if (test.endAt && now > test.endAt.getTime() + test.reportGraceMs) {
        await failTesters(deps, {
          testId: test.id,
          states: ["LAUNCHING", "PENDING", "RUNNING"],
          error: `No report within ${Math.round(test.reportGraceMs / 1000)} s of the end`,
        });
      }
      await finishTestIfComplete(deps, test.id);
    } catch (error) {
      deps.logger.warn({ err: error, testId: test.id }, "load-test supervision failed");
    }
  }
}

async function markRunning(deps: Deps, testId: number): Promise<void> {
  const pending = await deps.db.tester.findMany({ where: { loadTestId: testId, state: "PENDING" }, select: { id: true, index: true } });
  for (const tester of pending) {
    const { count } = await deps.db.tester.updateMany({ where: { id: tester.id, state: "PENDING" }, data: { state: "RUNNING" } });
    if (count > 0) await publishTester(deps, testId, { index: tester.index, state: "RUNNING" });
  }
}
