import { zFilesReadManyInput } from "../../schemas/files.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { storageCall } from "../../domain/storage-errors.js";
import { encodeContent } from "../../domain/content.js";
import { readManyLimits } from "../../domain/read-many-limits.js";

/**
 * Several files, or the whole project, in one call: what `files.read` gives for each, in path
 * order, one bounded page at a time (`nextCursor` continues). Live documents need nothing more:
 * every acknowledged edit has already been materialised into the stored text.
 */
export const readManyFiles = userProcedure.input(zFilesReadManyInput).query(async ({ input, ctx }) => {
  const { ref } = await openProject(ctx, input, "read");
  const page = await storageCall(() => ctx.deps.files.readMany(ref, { paths: input.paths, cursor: input.cursor, ...readManyLimits(ctx) }));
  return {
    files: page.files.map((file) => ({ path: file.path, ...encodeContent(file.content), size: file.size })),
    nextCursor: page.nextCursor,
  };
});
