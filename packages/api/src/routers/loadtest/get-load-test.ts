import { adminProcedure } from "../../trpc.js";
import { loadTest } from "../../domain/loadtest/load.js";
import { loadTestView } from "../../domain/loadtest/view.js";
import { zTestInput } from "./load-test.schema.js";

export const getLoadTest = adminProcedure.input(zTestInput).query(async ({ input, ctx }) => loadTestView(await loadTest(ctx.deps.db, input.testId)));
