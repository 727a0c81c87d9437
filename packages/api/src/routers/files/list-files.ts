import { zFilesListInput } from "../../schemas/files.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { storageCall } from "../../domain/storage-errors.js";

export const listFiles = userProcedure.input(zFilesListInput).query(async ({ input, ctx }) => {
  const { ref } = await openProject(ctx, input, "read");
  return storageCall(() => ctx.deps.files.list(ref));
});
