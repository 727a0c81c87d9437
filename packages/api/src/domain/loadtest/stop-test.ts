import type { Deps } from "../../context.js";
import { failTesters } from "./fail-testers.js";
import { finishTestIfComplete } from "./finish-test.js";
import { loadTest } from "./load.js";
import { publishTest } from "./publish.js";
import { stopTesters } from "./stop-testers.js";
import type { LoadTestRow } from "./view.js";

/**
 * Stops a test. Before its start nothing was measured: the test ends at once, stopped. After it,
 * the end moves to now and testers are told to stop; they still upload what they measured, and
 * the test ends (stopped) once they have, or their report deadline passes. Stopping a finished
 * test changes nothing.
 */
export async function stopTest(deps: Deps, testId: number): Promise<LoadTestRow> {
  const { db } = deps;
  const test = await loadTest(db, testId);
  const now = new Date(deps.now());
  if (test.state === "CREATED") {
    await db.loadTest.updateMany({ where: { id: testId, state: "CREATED" }, data: { state: "STOPPED", stoppedAt: now } });
    await publishTest(deps, { ...test, state: "STOPPED" });
    return loadTest(db, testId);
  }
  if (test.state !== "LAUNCHING" && test.state !== "RUNNING") return test;
  const started = test.startAt !== null && test.startAt.getTime() <= now.getTime();
  if (!started) {
    const { count } = await db.loadTest.updateMany({
      where: { id: testId, state: { in: ["LAUNCHING", "RUNNING"] } },
      data: { state: "STOPPED", stoppedAt: now, endAt: now },
    });
    if (count > 0) {
      await failTesters(deps, { testId, states: ["LAUNCHING", "PENDING", "RUNNING"], error: "Stopped before the start" });
      await publishTest(deps, { ...test, state: "STOPPED", endAt: now });
      stopTesters(deps, test);
    }
    return loadTest(db, testId);
  }
  const endAt = test.endAt && test.endAt.getTime() < now.getTime() ? test.endAt : now;
  await db.loadTest.updateMany({ where: { id: testId, stoppedAt: null }, data: { stoppedAt: now, endAt } });
  await publishTest(deps, { ...test, endAt });
  await finishTestIfComplete(deps, testId);
  return loadTest(db, testId);
}
