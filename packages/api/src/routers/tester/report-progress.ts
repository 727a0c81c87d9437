import { testerProcedure } from "../../trpc.js";
import { publishProgress } from "../../domain/loadtest/publish.js";
import { requireOwnTest } from "./require-own-test.js";
import { zTesterProgressInput } from "./tester.schema.js";

/**
 * A tester's figures of one second, passed on to loadtest.watch (not stored: the final report
 * holds every second again). Fire and forget on the tester's side.
 */
export const reportProgress = testerProcedure.input(zTesterProgressInput).mutation(async ({ input, ctx }) => {
  requireOwnTest(ctx, input.testId);
  await publishProgress(ctx.deps, input.testId, {
    testerId: input.testerId,
    second: input.second,
    histograms: input.histograms,
    counters: input.counters,
    process: input.process ?? null,
  });
  return { ok: true as const };
});
