import type { Deps } from "../../context.js";
import { failTesters } from "./fail-testers.js";
import { loadTest } from "./load.js";
import { publishTest } from "./publish.js";
import { loadTestSettings } from "./settings.js";
import { stopTesters } from "./stop-testers.js";

/**
 * Sets the common start time once every tester is ready, or, with `force` (the registration
 * timeout passed), with those that are: the others are marked failed, never quietly left out.
 * Safe to call from every instance at once: only the first conditional update sets the start.
 * Returns true when every tester had already failed: then there is nothing to start, and the
 * caller should end the test (finishTestIfComplete) with the testers' own reasons.
 */
export async function beginTestIfReady(deps: Deps, testId: number, { force = false }: { force?: boolean } = {}): Promise<boolean> {
  const { db } = deps;
  const test = await loadTest(db, testId);
  if (test.state !== "LAUNCHING" || test.startAt) return false;
  const waiting = test.testers.filter((t) => t.state === "LAUNCHING");
  const ready = test.testers.filter((t) => t.state === "PENDING");
  if (waiting.length > 0 && !force) return false;
  // Every tester already failed (say its process died): not a registration timeout.
  if (waiting.length === 0 && ready.length === 0) return true;
  const settings = loadTestSettings(deps.loadtest);
  const timeoutSec = Math.round(test.registerTimeoutMs / 1000);
  if (ready.length === 0) {
    const error = `No tester got ready within ${timeoutSec} s of the launch`;
    const { count } = await db.loadTest.updateMany({ where: { id: testId, state: "LAUNCHING", startAt: null }, data: { state: "FAILED", error } });
    if (count === 0) return false;
    await failTesters(deps, { testId, states: ["LAUNCHING", "PENDING"], error: `Did not register within ${timeoutSec} s` });
    await publishTest(deps, { ...test, state: "FAILED", error });
    stopTesters(deps, test);
    return false;
  }
  const startAtMs = deps.now() + settings.startLeadMs;
  // The end is computed in the same statement as the start, so a concurrent extend is never lost.
  // Prisma keeps DateTime columns as UTC wall time, hence the AT TIME ZONE.
  const count = await db.$executeRaw`
    UPDATE "LoadTest"
    SET "state" = 'RUNNING'::"LoadTestState",
        "startAt" = to_timestamp(${startAtMs}::double precision / 1000) AT TIME ZONE 'UTC',
        "endAt" = (to_timestamp(${startAtMs}::double precision / 1000) AT TIME ZONE 'UTC') + make_interval(secs => "durationSec")
    WHERE "id" = ${testId} AND "state" = 'LAUNCHING'::"LoadTestState" AND "startAt" IS NULL`;
  if (count === 0) return false;
  if (waiting.length > 0) {
    await failTesters(deps, {
      testId,
      states: ["LAUNCHING"],
      indexes: waiting.map((t) => t.index),
      error: `Did not register and get ready within ${timeoutSec} s of the launch`,
    });
    stopTesters(deps, test, (t) => t.state === "LAUNCHING");
  }
  const started = await loadTest(db, testId);
  await publishTest(deps, started);
  return false;
}
