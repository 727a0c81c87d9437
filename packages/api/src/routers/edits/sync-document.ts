import { zEditsSyncInput } from "../../schemas/edits.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { liveFile } from "../../domain/live-file.js";
import { fromBase64, toBase64 } from "../../domain/base64.js";
import { textSeed } from "../../domain/text-seed.js";
import { AppError } from "../../errors.js";
import { rejectUpdate } from "./reject-update.js";

/** What a client holding `stateVector` misses of the file's document (all of it without one). */
export const syncDocument = userProcedure.input(zEditsSyncInput).mutation(async ({ input, ctx }) => {
  const project = await openProject(ctx, input, "read");
  const { ref: docRef } = await liveFile(ctx, project, input.path);
  let stateVector: Uint8Array | undefined;
  if (input.stateVector !== undefined) {
    const decoded = fromBase64(input.stateVector);
    if (!decoded) throw new AppError("INVALID_UPDATE", "stateVector is not valid base64");
    stateVector = decoded;
  }
  try {
    const result = await ctx.deps.docs.sync(docRef, textSeed(ctx, project.ref, input.path), stateVector);
    return { update: toBase64(result.update), version: result.version };
  } catch (error) {
    throw rejectUpdate(error);
  }
});
