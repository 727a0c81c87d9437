import { zCursorLastInput } from "../../schemas/edits.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";

/** The caller's last cursor in a file (to restore it when the file is reopened). */
export const lastCursor = userProcedure.input(zCursorLastInput).query(async ({ input, ctx }) => {
  const project = await openProject(ctx, input, "read");
  const cursor = (await ctx.deps.files.getCursor(project.ref, project.access.viewer.id, input.path)) as {
    position: { line: number; column: number };
  } | null;
  return cursor ? { position: cursor.position } : null;
});
