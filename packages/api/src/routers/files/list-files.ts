import { zFilesListInput } from "../../schemas/files.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { storageCall } from "../../domain/storage-errors.js";
import { shareJson } from "../../wire/shared-json.js";

export const listFiles = userProcedure.input(zFilesListInput).query(async ({ input, ctx }) => {
  const { ref } = await openProject(ctx, input, "read");
  // The store hands out one listing object per project version, so its JSON is encoded once too.
  return shareJson(await storageCall(() => ctx.deps.files.list(ref)));
});
