import { seedFrom } from "@cohort/loadtest";
import { testerProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { loadTest } from "../../domain/loadtest/load.js";
import { testerIndexOf } from "../../domain/loadtest/tester-ids.js";
import { zRegisterTesterInput } from "./tester.schema.js";
import { requireOwnTest } from "./require-own-test.js";

/**
 * A tester process claims its tester id (atomically: a second claim gets TESTER_TAKEN, so ECS
 * tasks started with the same list of ids each end up with a different one) and learns what to
 * do: the lesson, the target, the scenario and the accounts its virtual clients play.
 */
export const registerTester = testerProcedure.input(zRegisterTesterInput).mutation(async ({ input, ctx }) => {
  requireOwnTest(ctx, input.testId);
  const { db } = ctx.deps;
  const index = testerIndexOf(input.testerId);
  const test = await loadTest(db, input.testId);
  const tester = test.testers.find((t) => t.index === index);
  if (!tester || index === undefined) throw new AppError("TESTER_NOT_FOUND", `Test ${input.testId} has no tester ${input.testerId}`);
  if (test.state !== "LAUNCHING" || test.startAt) throw new AppError("WRONG_TEST_STATE", `Test ${input.testId} is no longer accepting testers`);
  const { count } = await db.tester.updateMany({
    where: { id: tester.id, state: "LAUNCHING", registeredAt: null },
    data: { registeredAt: new Date(ctx.deps.now()) },
  });
  if (count === 0) throw new AppError("TESTER_TAKEN", `Tester ${input.testerId} is already taken`);

  const firstSlot = test.testers.filter((t) => t.index < index).reduce((sum, t) => sum + t.clients, 0);
  const accounts = await db.loadTestAccount.findMany({
    where: { loadTestId: test.id, slot: { gte: firstSlot, lt: firstSlot + tester.clients } },
    orderBy: { slot: "asc" },
    select: { slot: true, participantId: true, participant: { select: { userId: true } } },
  });
  return {
    testId: test.id,
    testerId: input.testerId,
    lessonId: test.lessonId,
    targetParticipantId: test.targetParticipantId,
    scenario: test.scenario as { ratePerClient: number; weights: Record<string, number> },
    durationSec: test.durationSec,
    seed: seedFrom(test.id, input.testerId),
    accounts: accounts.map((a) => ({ slot: a.slot, userId: a.participant.userId, participantId: a.participantId })),
  };
});
