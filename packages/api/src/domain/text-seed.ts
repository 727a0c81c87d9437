import type { Context } from "../context.js";
import type { ProjectRef } from "../ports.js";
import { textOf } from "./content.js";
import { storageCall } from "./storage-errors.js";

/** The file's stored text, used once to start its live document. */
export function textSeed(ctx: Context, ref: ProjectRef, path: string): () => Promise<string> {
  return async () => textOf((await storageCall(() => ctx.deps.files.read(ref, path))).content);
}
