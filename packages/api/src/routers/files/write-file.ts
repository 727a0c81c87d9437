import { toBase64 } from "../../domain/base64.js";
import { zFilesWriteInput } from "../../schemas/files.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { storageCall } from "../../domain/storage-errors.js";
import { decodeContent, textOf } from "../../domain/content.js";
import { editAnnouncement, emitProjectEvent } from "../../domain/emit-project-event.js";
import { AppError } from "../../errors.js";
import { textSeed } from "../../domain/text-seed.js";

/**
 * Replaces a whole file. Text goes through the file's live document as a minimal diff, so people
 * typing in it keep their changes and see the save as an ordinary edit; binary content replaces
 * the bytes and ends any live document of the file.
 */
export const writeFile = userProcedure.input(zFilesWriteInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const project = await openProject(ctx, input, "write");
  const { files, docs } = ctx.deps;
  const stat = await storageCall(() => files.stat(project.ref, input.path));
  if (!stat) throw new AppError("FILE_NOT_FOUND", `No file at ${input.path}`);
  if (stat.type !== "file") throw new AppError("IS_A_DIRECTORY", `${input.path} is a directory`);
  const bytes = decodeContent(input.content, input.encoding);
  const docRef = { tag: project.tag, fileId: stat.id };
  let text: string | null = null;
  try {
    text = input.encoding === "base64" ? null : textOf(bytes);
  } catch {
    text = null;
  }
  if (text === null) {
    await storageCall(() => files.write(project.ref, input.path, bytes));
    await docs.drop([docRef]);
    await emitProjectEvent(ctx, project, { type: "file.written", path: input.path, size: bytes.length }, { trace: input.trace, receivedAt });
    return { size: bytes.length };
  }
  await storageCall(() => files.checkWrite(project.ref, input.path, bytes.length));
  // As edits.push: the diff's edit event is appended by the commit itself.
  let edit: ReturnType<typeof editAnnouncement> | undefined;
  const committed = await docs.replace(docRef, text, textSeed(ctx, project.ref, input.path), {
    announce: (update) => {
      edit = editAnnouncement(ctx, project, { path: input.path, update: toBase64(update) }, { trace: input.trace, receivedAt });
      return edit.announce;
    },
  });
  if (!committed) return { size: bytes.length };
  edit?.emitted();
  const written = await storageCall(() => files.write(project.ref, input.path, Buffer.from(committed.text), { docVersion: committed.version }));
  await emitProjectEvent(ctx, project, { type: "file.written", path: input.path, size: written.size }, { trace: undefined, receivedAt });
  return { size: written.size };
});
