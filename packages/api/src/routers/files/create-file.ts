import { zFilesCreateInput } from "../../schemas/files.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { storageCall } from "../../domain/storage-errors.js";
import { decodeContent } from "../../domain/content.js";
import { emitProjectEvent } from "../../domain/emit-project-event.js";
import { AppError } from "../../errors.js";

export const createFile = userProcedure.input(zFilesCreateInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const project = await openProject(ctx, input, "write");
  if (input.type === "directory" && input.content !== undefined) {
    throw new AppError("INVALID_INPUT", "A directory has no content");
  }
  const content = input.content === undefined ? undefined : decodeContent(input.content, input.encoding);
  const entry = await storageCall(() => ctx.deps.files.create(project.ref, { path: input.path, type: input.type, content }));
  await emitProjectEvent(ctx, project, { type: "file.created", path: entry.path, entryType: entry.type, size: entry.size }, { trace: input.trace, receivedAt });
  return entry;
});
