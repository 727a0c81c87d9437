import { adminProcedure } from "../../trpc.js";
import { launchTest } from "../../domain/loadtest/launch-test.js";
import { loadTestView } from "../../domain/loadtest/view.js";
import { zTestInput } from "./load-test.schema.js";

/** Launches the testers; the test starts once they are all ready (see tester.awaitStart). */
export const startLoadTest = adminProcedure
  .input(zTestInput)
  .mutation(async ({ input, ctx }) => loadTestView(await launchTest(ctx.deps, input.testId)));
