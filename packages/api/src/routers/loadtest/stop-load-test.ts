import { adminProcedure } from "../../trpc.js";
import { stopTest } from "../../domain/loadtest/stop-test.js";
import { loadTestView } from "../../domain/loadtest/view.js";
import { zTestInput } from "./load-test.schema.js";

export const stopLoadTest = adminProcedure.input(zTestInput).mutation(async ({ input, ctx }) => loadTestView(await stopTest(ctx.deps, input.testId)));
