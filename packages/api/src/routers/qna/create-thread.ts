import { zQnaCreateInput } from "../../schemas/qna.js";
import { userProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { openProject } from "../../domain/open-project.js";
import { stampReceive } from "../../domain/trace.js";
import { anchorCodeRef } from "../../domain/qna/anchor-code-ref.js";
import { notifyInbox } from "../../domain/qna/notify-inbox.js";
import { qnaLimits } from "../../domain/qna/qna-limits.js";
import { selectThreads } from "../../domain/qna/select-threads.js";
import { resolveAcl } from "../../domain/qna/thread-access.js";
import { toThreadHead, toThreadView } from "../../domain/qna/thread-view.js";

/**
 * Opens a thread on lines of a text file the caller may read, with its first comment. The lines
 * are anchored in the file's live document so they move with the code.
 */
export const createThread = userProcedure.input(zQnaCreateInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const { db } = ctx.deps;
  const project = await openProject(ctx, { lessonId: input.lessonId, ownerId: input.ref.ownerId }, "read");
  const me = project.access.viewer;
  const acl = await resolveAcl(db, { courseId: project.access.lesson.courseId, requested: input.acl, always: [project.ref.ownerId, me.id] });
  const { anchor, excerpt } = await anchorCodeRef(ctx, project, input.ref.path, input.ref.lines);
  const projectId = project.access.projectId as number;
  const { maxThreadsPerFile } = qnaLimits(ctx);

  const threadId = await db.$transaction(async (tx) => {
    // Creates on one project queue here, so two at once cannot both take the last place.
    await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${projectId} FOR UPDATE`;
    const count = await tx.qnaThread.count({ where: { codeRef: { projectId, path: input.ref.path, outdated: false } } });
    if (count >= maxThreadsPerFile) throw new AppError("TOO_MANY_THREADS", `${input.ref.path} already has ${count} threads (at most ${maxThreadsPerFile})`);
    const ref = await tx.codeRef.create({
      data: { projectId, path: input.ref.path, lineStart: input.ref.lines.start, lineEnd: input.ref.lines.end, anchor, excerpt },
      select: { id: true },
    });
    const thread = await tx.qnaThread.create({ data: { lessonId: input.lessonId, codeRefId: ref.id, authorId: me.id }, select: { id: true } });
    await tx.qnaThreadViewer.createMany({ data: acl.map((participantId) => ({ threadId: thread.id, participantId })) });
    await tx.qnaComment.create({ data: { threadId: thread.id, authorId: me.id, content: input.content } });
    return thread.id;
  });

  const [row] = await selectThreads(db, { lessonId: input.lessonId, threadIds: [threadId] });
  if (!row) throw new AppError("INTERNAL", `Thread ${threadId} vanished after it was created`);
  const thread = toThreadView(row);
  await notifyInbox(ctx.deps, row.acl, {
    type: "qna.thread",
    action: "created",
    lessonId: input.lessonId,
    threadId,
    thread: toThreadHead(row),
    comment: thread.comments[0]!,
    actor: project.actor,
    trace: stampReceive(input.trace, receivedAt),
  });
  return thread;
});
