import { zProjectInput } from "../../schemas/project.js";
import { userProcedure } from "../../trpc.js";
import { assertCanRead } from "../../domain/project-access.js";

/** Marks the project recently active so the backup worker leaves it in Redis. */
export const pingProject = userProcedure.input(zProjectInput).mutation(async ({ input, ctx }) => {
  const access = await ctx.deps.access.get({ ...input, userId: ctx.userId });
  assertCanRead(access);
  await ctx.deps.projects?.touch({ lessonId: input.lessonId, ownerId: input.ownerId });
  return { ok: true as const };
});
