import { zProjectInput } from "../../schemas/project.js";
import { adminProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { storageCall } from "../../domain/storage-errors.js";

/** Admin: back a project up now (the worker does it by itself for idle projects). */
export const backupProject = adminProcedure.input(zProjectInput).mutation(async ({ input, ctx }) => {
  const project = await ctx.deps.db.project.findUnique({ where: { lessonId_ownerId: { lessonId: input.lessonId, ownerId: input.ownerId } } });
  if (!project) throw new AppError("PROJECT_NOT_FOUND", `Participant ${input.ownerId} has no project in lesson ${input.lessonId}`);
  const projects = ctx.deps.projects;
  if (!projects) throw new AppError("UNAVAILABLE", "Project storage is not configured");
  const backup = await storageCall(() => projects.backup({ lessonId: input.lessonId, ownerId: input.ownerId }));
  await ctx.deps.db.project.update({ where: { id: project.id }, data: { lastBackupKey: backup.key, lastBackupAt: new Date() } });
  return backup;
});
