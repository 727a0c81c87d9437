import { adminProcedure } from "../../trpc.js";
import { deleteUnusedTesterAccounts } from "../../domain/loadtest/accounts.js";
import { loadTest } from "../../domain/loadtest/load.js";
import { publishTest } from "../../domain/loadtest/publish.js";
import { stopTesters } from "../../domain/loadtest/stop-testers.js";
import { loadTestBlobs } from "../../domain/loadtest/topics.js";
import { zTestInput } from "./load-test.schema.js";

/**
 * Deletes a test: stops its testers, removes its reports and rows, and the tester accounts no
 * other test uses (their projects and grants go with them).
 */
export const deleteLoadTest = adminProcedure.input(zTestInput).mutation(async ({ input, ctx }) => {
  const { db, blobs, logger } = ctx.deps;
  const test = await loadTest(db, input.testId);
  stopTesters(ctx.deps, test);
  const accounts = await db.loadTestAccount.findMany({ where: { loadTestId: test.id }, select: { participantId: true } });
  await db.loadTest.delete({ where: { id: test.id } });
  // Testers still waiting for a start hear that the test is gone.
  await publishTest(ctx.deps, { ...test, state: "STOPPED", error: "deleted" });
  if (blobs) {
    const reports = await blobs.list(loadTestBlobs.prefix(test.id)).catch(() => []);
    await Promise.all(reports.map((r) => blobs.delete(r.key).catch((error: unknown) => logger.warn({ err: error, key: r.key }, "report not deleted"))));
  }
  const deletedAccounts = await deleteUnusedTesterAccounts(db, accounts.map((a) => a.participantId));
  return { ok: true as const, testId: test.id, deletedAccounts };
});
