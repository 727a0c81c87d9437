import { zEditsPushInput } from "../../schemas/edits.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { liveFile } from "../../domain/live-file.js";
import { fromBase64, toBase64 } from "../../domain/base64.js";
import { textSeed } from "../../domain/text-seed.js";
import { storageCall } from "../../domain/storage-errors.js";
import { editAnnouncement } from "../../domain/emit-project-event.js";
import { AppError } from "../../errors.js";
import { rejectUpdate } from "./reject-update.js";

/**
 * Applies a client's Yjs update: validated, stored together with its `edit` event (so it fans out
 * to every watcher), and materialised into the file's text; acknowledged once all of that is in Redis.
 */
export const pushUpdate = userProcedure.input(zEditsPushInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const project = await openProject(ctx, input, "write");
  const update = fromBase64(input.update);
  if (!update || update.byteLength === 0) throw new AppError("INVALID_UPDATE", "update is not valid base64");
  if (update.byteLength > ctx.deps.limits.maxUpdateBytes) {
    throw new AppError("LIMIT_REACHED", `update is larger than ${ctx.deps.limits.maxUpdateBytes} bytes`);
  }
  const { ref: docRef, stat } = await liveFile(ctx, project, input.path);
  const { files, docs } = ctx.deps;
  // The edit's event is appended by the commit itself: it reaches watchers as soon as the update is
  // stored, and never without it (a crash between a commit and a separate append would leave live
  // copies without an update the document has).
  const edit = editAnnouncement(ctx, project, { path: input.path, update: toBase64(update) }, { trace: input.trace, receivedAt });
  // Size and quota are checked against the text the update would produce, before it is stored,
  // with the sizes read alongside the file's id (no round trip inside the document's critical
  // section). The write that materialises the text checks the quota again, atomically.
  const committed = await docs
    .push(docRef, update, textSeed(ctx, project.ref, input.path), {
      accept: (text) => {
        const bytes = Buffer.byteLength(text);
        if (bytes > ctx.deps.limits.maxFileBytes) throw new AppError("FILE_TOO_LARGE", `${input.path} would be larger than ${ctx.deps.limits.maxFileBytes} bytes`);
        if (bytes > stat.size && stat.projectBytes - stat.size + bytes > stat.quota) {
          throw new AppError("PROJECT_QUOTA_EXCEEDED", `This edit would take the project past ${stat.quota} bytes`);
        }
      },
      announce: edit.announce,
    })
    .catch((error: unknown) => {
      throw rejectUpdate(error);
    });
  edit.emitted();
  await storageCall(() => files.write(project.ref, input.path, Buffer.from(committed.text), { docVersion: committed.version }));
  return { ok: true as const, version: committed.version };
});
