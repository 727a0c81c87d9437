import { zFilesDeleteInput } from "../../schemas/files.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { storageCall } from "../../domain/storage-errors.js";
import { emitProjectEvent } from "../../domain/emit-project-event.js";

/** Deletes a file, or a directory with everything under it (storage drops their live documents too). */
export const deleteFile = userProcedure.input(zFilesDeleteInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const project = await openProject(ctx, input, "write");
  const removed = await storageCall(() => ctx.deps.files.delete(project.ref, input.path));
  await ctx.deps.onDeleted?.({ lessonId: input.lessonId, ownerId: input.ownerId, path: removed.path });
  await emitProjectEvent(ctx, project, { type: "file.deleted", path: removed.path, entryType: removed.type }, { trace: input.trace, receivedAt });
  return { path: removed.path, type: removed.type };
});
