import { adminProcedure } from "../../trpc.js";
import { loadTestView } from "../../domain/loadtest/view.js";
import { zListLoadTestsInput } from "./load-test.schema.js";

/** Tests, newest first (at most 200), of one lesson or of all. */
export const listLoadTests = adminProcedure.input(zListLoadTestsInput).query(async ({ input, ctx }) => {
  const rows = await ctx.deps.db.loadTest.findMany({
    where: input?.lessonId ? { lessonId: input.lessonId } : {},
    orderBy: { id: "desc" },
    take: 200,
    include: { testers: { orderBy: { index: "asc" } } },
  });
  return rows.map(loadTestView);
});
