import { zFilesRenameInput } from "../../schemas/files.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { storageCall } from "../../domain/storage-errors.js";
import { emitProjectEvent } from "../../domain/emit-project-event.js";

/** Renames a file, or moves a directory with everything under it (atomically). */
export const renameFile = userProcedure.input(zFilesRenameInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const project = await openProject(ctx, input, "write");
  const moved = await storageCall(() => ctx.deps.files.rename(project.ref, input.path, input.newPath));
  await ctx.deps.onRenamed?.({ lessonId: input.lessonId, ownerId: input.ownerId, path: moved.path, newPath: moved.newPath });
  await emitProjectEvent(ctx, project, { type: "file.renamed", path: moved.path, newPath: moved.newPath, entryType: moved.type }, { trace: input.trace, receivedAt });
  return moved;
});
