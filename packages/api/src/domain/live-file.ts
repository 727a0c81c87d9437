import { AppError } from "../errors.js";
import type { Context } from "../context.js";
import type { OpenProject } from "./open-project.js";
import { storageCall } from "./storage-errors.js";

/** The live-document reference of a text file, with its sizes; refuses directories and missing files. */
export async function liveFile(ctx: Context, project: OpenProject, path: string) {
  const stat = await storageCall(() => ctx.deps.files.stat(project.ref, path));
  if (!stat) throw new AppError("FILE_NOT_FOUND", `No file at ${path}`);
  if (stat.type !== "file") throw new AppError("IS_A_DIRECTORY", `${path} is a directory`);
  return { ref: { tag: project.tag, fileId: stat.id }, stat };
}
