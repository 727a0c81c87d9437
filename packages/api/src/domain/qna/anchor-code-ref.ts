import { createTextAnchor, LineRangeError, type LineRange } from "@cohort/collab";
import type { Context } from "../../context.js";
import { AppError, isAppError } from "../../errors.js";
import type { OpenProject } from "../open-project.js";
import { storageCall } from "../storage-errors.js";
import { textSeed } from "../text-seed.js";

/**
 * Anchors lines of a text file on its live document (seeded from the stored text if nobody has
 * opened it yet), checked against the text as every instance has it now.
 */
export async function anchorCodeRef(ctx: Context, project: OpenProject, path: string, lines: LineRange): Promise<{ anchor: Uint8Array<ArrayBuffer>; excerpt: string }> {
  const stat = await storageCall(() => ctx.deps.files.stat(project.ref, path));
  if (!stat) throw new AppError("INVALID_REF", `No file at ${path}`);
  if (stat.type !== "file") throw new AppError("INVALID_REF", `${path} is a directory; threads are attached to lines of a text file`);
  try {
    const { anchor, excerpt } = await ctx.deps.docs.withDoc({ tag: project.tag, fileId: stat.id }, textSeed(ctx, project.ref, path), (doc) =>
      createTextAnchor(doc, lines),
    );
    return { anchor: new Uint8Array(anchor), excerpt };
  } catch (error) {
    if (error instanceof LineRangeError) throw new AppError("INVALID_RANGE", error.message, { cause: error });
    if (isAppError(error) && error.appCode === "INVALID_UPDATE") {
      throw new AppError("INVALID_REF", `${path} is binary; threads are attached to lines of a text file`, { cause: error });
    }
    throw error;
  }
}
