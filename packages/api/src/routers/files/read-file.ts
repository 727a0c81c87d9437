import { zFilesReadInput } from "../../schemas/files.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { storageCall } from "../../domain/storage-errors.js";
import { encodeContent } from "../../domain/content.js";

/** The file's current content; for a file being edited live, the merged text of every edit. */
export const readFile = userProcedure.input(zFilesReadInput).query(async ({ input, ctx }) => {
  const { ref } = await openProject(ctx, input, "read");
  const file = await storageCall(() => ctx.deps.files.read(ref, input.path));
  return { path: input.path, ...encodeContent(file.content), size: file.size };
});
