import { adminProcedure } from "../../trpc.js";
import { extendTest } from "../../domain/loadtest/extend-test.js";
import { loadTestView } from "../../domain/loadtest/view.js";
import { zExtendLoadTestInput } from "./load-test.schema.js";

export const extendLoadTest = adminProcedure
  .input(zExtendLoadTestInput)
  .mutation(async ({ input, ctx }) => loadTestView(await extendTest(ctx.deps, input)));
