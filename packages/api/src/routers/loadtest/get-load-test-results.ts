import { adminProcedure } from "../../trpc.js";
import { loadTest } from "../../domain/loadtest/load.js";
import { buildResults, type LoadTestResults } from "../../domain/loadtest/results.js";
import { zTestInput } from "./load-test.schema.js";

/**
 * The merged results: kept with the test once it ended, else merged now from the reports so far
 * (`final: false`).
 */
export const getLoadTestResults = adminProcedure.input(zTestInput).query(async ({ input, ctx }): Promise<LoadTestResults> => {
  const test = await loadTest(ctx.deps.db, input.testId);
  if (test.results) return test.results as unknown as LoadTestResults;
  return buildResults({ blobs: ctx.deps.blobs, test, final: false });
});
