import type { Deps } from "../../context.js";
import { AppError } from "../../errors.js";
import { loadTest } from "./load.js";
import { publishTest } from "./publish.js";
import { loadTestSettings } from "./settings.js";
import type { LoadTestRow } from "./view.js";

/** Adds time to a test that has not ended; running testers hear of the new end at once. */
export async function extendTest(deps: Deps, { testId, addSec }: { testId: number; addSec: number }): Promise<LoadTestRow> {
  const { db } = deps;
  const test = await loadTest(db, testId);
  const { maxTotalDurationSec } = loadTestSettings(deps.loadtest);
  const ended = test.endAt !== null && test.endAt.getTime() <= deps.now();
  if (!["CREATED", "LAUNCHING", "RUNNING"].includes(test.state) || test.stoppedAt || ended) {
    throw new AppError("WRONG_TEST_STATE", `Load test ${testId} has ended and cannot be extended`);
  }
  if (test.durationSec + addSec > maxTotalDurationSec) {
    throw new AppError("LIMIT_REACHED", `A test lasts at most ${maxTotalDurationSec} s; ${test.durationSec} s are planned`);
  }
  // One statement, so a start being set concurrently (which computes the end) is not lost.
  const count = await db.$executeRaw`
    UPDATE "LoadTest"
    SET "durationSec" = "durationSec" + ${addSec}::int, "endAt" = "endAt" + make_interval(secs => ${addSec}::int)
    WHERE "id" = ${testId} AND "stoppedAt" IS NULL AND "state" IN ('CREATED', 'LAUNCHING', 'RUNNING')
      AND "durationSec" + ${addSec}::int <= ${maxTotalDurationSec}::int`;
  if (count === 0) throw new AppError("WRONG_TEST_STATE", `Load test ${testId} ended meanwhile`);
  const extended = await loadTest(db, testId);
  await publishTest(deps, extended);
  return extended;
}
