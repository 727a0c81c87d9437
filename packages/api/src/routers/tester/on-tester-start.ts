import { testerProcedure } from "../../trpc.js";
import type { Deps } from "../../context.js";
import { beginTestIfReady } from "../../domain/loadtest/begin-test.js";
import { doorbell } from "../../domain/loadtest/doorbell.js";
import { publishTester } from "../../domain/loadtest/publish.js";
import { subscribeReady } from "../../domain/loadtest/subscribe-ready.js";
import { testerIndexOf } from "../../domain/loadtest/tester-ids.js";
import { loadTestTopics } from "../../domain/loadtest/topics.js";
import { requireOwnTest } from "./require-own-test.js";
import { zAwaitStartInput, type TesterControlEvent } from "./tester.schema.js";

/** How often the test row is re-read should a ring be missed. */
const POLL_MS = 2_000;

/**
 * What a tester waits for: the common start time (once every tester is ready, or the registration
 * timeout passed), then a new end if an admin extends the test, and a stop. Subscribing with a
 * `testerId` tells the server that tester is set up and ready. The test row is the truth; the
 * control topic only says when to re-read it, so a resubscription (on any instance) picks up the
 * current state, start included.
 */
export const onTesterStart = testerProcedure.input(zAwaitStartInput).subscription(async function* ({ input, ctx, signal }) {
  requireOwnTest(ctx, input.testId);
  const { db } = ctx.deps;
  const bell = await subscribeReady(ctx.deps.events, loadTestTopics.control(input.testId), { signal });
  const index = input.testerId === undefined ? undefined : testerIndexOf(input.testerId);
  if (index !== undefined) await markReady(ctx.deps, input.testId, index);
  const waitForRing = doorbell(bell, { signal, pollMs: POLL_MS });
  let announcedEnd: number | null = null;
  do {
    const test = await db.loadTest.findUnique({ where: { id: input.testId }, select: { state: true, startAt: true, endAt: true, stoppedAt: true, error: true } });
    const tester =
      index === undefined
        ? null
        : await db.tester.findUnique({ where: { loadTestId_index: { loadTestId: input.testId, index } }, select: { state: true, error: true } });
    const events: TesterControlEvent[] = [];
    if (test?.startAt && test.endAt && announcedEnd === null) {
      announcedEnd = test.endAt.getTime();
      events.push({ type: "start", startAt: test.startAt.getTime(), endAt: announcedEnd });
    } else if (test?.endAt && announcedEnd !== null && test.endAt.getTime() !== announcedEnd) {
      announcedEnd = test.endAt.getTime();
      events.push({ type: "extend", endAt: announcedEnd });
    }
    const stopReason = reasonToStop(test, tester);
    if (stopReason) events.push({ type: "stop", reason: stopReason });
    for (const event of events) yield event;
    if (stopReason) return;
  } while (await waitForRing());
});

function reasonToStop(
  test: { state: string; stoppedAt: Date | null; error: string | null } | null,
  tester: { state: string; error: string | null } | null,
): string | null {
  if (!test) return "the test was deleted";
  if (tester?.state === "FAILED") return `this tester was marked failed: ${tester.error ?? "unknown reason"}`;
  if (test.stoppedAt) return "an admin stopped the test";
  if (test.state !== "LAUNCHING" && test.state !== "RUNNING") return `the test is ${test.state.toLowerCase()}${test.error ? `: ${test.error}` : ""}`;
  return null;
}

/** The tester is set up: pending until the start. The last one to get ready sets the start. */
async function markReady(deps: Deps, testId: number, index: number): Promise<void> {
  const { count } = await deps.db.tester.updateMany({
    where: { loadTestId: testId, index, state: "LAUNCHING", registeredAt: { not: null } },
    data: { state: "PENDING" },
  });
  if (count === 0) return;
  await publishTester(deps, testId, { index, state: "PENDING" });
  await beginTestIfReady(deps, testId);
}
