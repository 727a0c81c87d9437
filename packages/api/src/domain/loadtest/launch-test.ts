import type { Deps } from "../../context.js";
import { AppError } from "../../errors.js";
import { failTesters } from "./fail-testers.js";
import { loadTest } from "./load.js";
import { publishTest } from "./publish.js";
import { testerIdOf } from "./tester-ids.js";
import { createTestToken } from "./token.js";
import { loadTestBlobs } from "./topics.js";
import type { LoadTestRow } from "./view.js";

/** Advisory-lock namespace of "one running test per lesson" (the other key is the lesson id). */
const LOCK_SPACE = 0x10ad;

/**
 * Starts a created test: takes the lesson (one running test per lesson), issues the test token,
 * and has the launcher start the testers. The token exists only here and in the testers'
 * environment; the database keeps its SHA-256. A launch failure (ECS out of capacity, a bad task
 * definition) fails the test with the launcher's reasons, for the admin to read.
 */
export async function launchTest(deps: Deps, testId: number): Promise<LoadTestRow> {
  const { db } = deps;
  const test = await loadTest(db, testId);
  const launcher = deps.launchers?.[test.launcher as "local" | "ecs"];
  if (!launcher) throw new AppError("LAUNCHER_UNAVAILABLE", `This server has no ${test.launcher} launcher configured`);
  if (test.state !== "CREATED") throw new AppError("WRONG_TEST_STATE", `Load test ${testId} is ${test.state.toLowerCase()}; only a created test can start`);
  const { token, hash } = createTestToken();
  const launchedAt = new Date(deps.now());
  await db.$transaction(async (tx) => {
    // Serialises starts per lesson, so two admins cannot both pass the check below.
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(${LOCK_SPACE}::int, ${test.lessonId}::int)) AS l`;
    const running = await tx.loadTest.findFirst({
      where: { lessonId: test.lessonId, state: { in: ["LAUNCHING", "RUNNING"] } },
      select: { id: true },
    });
    if (running) throw new AppError("TEST_ALREADY_RUNNING", `Load test ${running.id} is already running in lesson ${test.lessonId}`);
    const { count } = await tx.loadTest.updateMany({
      where: { id: testId, state: "CREATED" },
      data: { state: "LAUNCHING", tokenHash: hash, launchedAt, reportPrefix: loadTestBlobs.prefix(testId) },
    });
    if (count === 0) throw new AppError("WRONG_TEST_STATE", `Load test ${testId} was started or stopped meanwhile`);
  });
  await publishTest(deps, { ...test, state: "LAUNCHING" });

  try {
    const launched = await launcher.launch({
      testId,
      serverUrl: test.serverUrl,
      testToken: token,
      testers: test.testers.map((t) => ({ testerId: testerIdOf(t.index), clients: t.clients })),
    });
    const byTesterId = new Map(test.testers.map((t) => [testerIdOf(t.index), t]));
    await Promise.all(
      launched.map(({ testerId, handle }) => {
        const tester = byTesterId.get(testerId);
        if (!tester) return undefined;
        const pid = /^local:(\d+)$/.exec(handle)?.[1];
        return db.tester.update({ where: { id: tester.id }, data: pid ? { pid: Number(pid) } : { taskArn: handle } });
      }),
    );
  } catch (error) {
    const message = `Testers could not be launched: ${(error as Error).message}`.slice(0, 2_000);
    await db.loadTest.updateMany({ where: { id: testId, state: { in: ["LAUNCHING", "RUNNING"] } }, data: { state: "FAILED", error: message } });
    await failTesters(deps, { testId, states: ["LAUNCHING", "PENDING", "RUNNING"], error: message });
    await publishTest(deps, { ...test, state: "FAILED", error: message });
    throw new AppError("LAUNCH_FAILED", message, { cause: error });
  }
  return loadTest(db, testId);
}
