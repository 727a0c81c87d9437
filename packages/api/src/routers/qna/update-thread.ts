import { zQnaUpdateInput } from "../../schemas/qna.js";
import { userProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { stampReceive } from "../../domain/trace.js";
import { notifyInbox } from "../../domain/qna/notify-inbox.js";
import { resolveAnchors } from "../../domain/qna/resolve-anchors.js";
import { selectThreads } from "../../domain/qna/select-threads.js";
import { requireThreadMember, resolveAcl } from "../../domain/qna/thread-access.js";
import { toThreadHead, toThreadView } from "../../domain/qna/thread-view.js";

/**
 * The author changes who sees a thread, or marks it resolved. The project owner and the author
 * stay in the access list whatever it says; whoever is dropped stops hearing of the thread at once
 * and gets one `removed` event, without content, so their client can hide it.
 */
export const updateThread = userProcedure.input(zQnaUpdateInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const { db } = ctx.deps;
  const { lesson, participant: me, thread } = await requireThreadMember(ctx, input);
  if (thread.authorId !== me.id) throw new AppError("NOT_AUTHOR", `Only the author of thread ${thread.id} may change it`);
  const acl = input.acl === undefined ? undefined : await resolveAcl(db, { courseId: lesson.courseId, requested: input.acl, always: [thread.ownerId, thread.authorId] });

  const removed = await db.$transaction(async (tx) => {
    // Concurrent updates of one thread queue here, so the access list is never a mix of two.
    await tx.$queryRaw`SELECT id FROM "QnaThread" WHERE id = ${thread.id} FOR UPDATE`;
    let dropped: number[] = [];
    if (acl) {
      const current = (await tx.qnaThreadViewer.findMany({ where: { threadId: thread.id }, select: { participantId: true } })).map((v) => v.participantId);
      dropped = current.filter((id) => !acl.includes(id));
      if (dropped.length > 0) await tx.qnaThreadViewer.deleteMany({ where: { threadId: thread.id, participantId: { in: dropped } } });
      await tx.qnaThreadViewer.createMany({ data: acl.map((participantId) => ({ threadId: thread.id, participantId })), skipDuplicates: true });
    }
    // Written even when only the access list changed, so updatedAt moves.
    await tx.qnaThread.update({ where: { id: thread.id }, data: { resolved: input.resolved, updatedAt: new Date() } });
    return dropped;
  });

  const [row] = await selectThreads(db, { lessonId: lesson.id, threadIds: [thread.id] });
  if (!row) throw new AppError("THREAD_NOT_FOUND", `Thread ${thread.id} no longer exists`);
  const refs = await resolveAnchors(ctx, [row]);
  const ref = refs.get(row.refId);
  const actor = { id: me.id, nickname: me.nickname };
  const trace = stampReceive(input.trace, receivedAt);
  await Promise.all([
    notifyInbox(ctx.deps, row.acl, { type: "qna.thread", action: "updated", lessonId: lesson.id, threadId: thread.id, thread: toThreadHead(row, ref), actor, trace }),
    notifyInbox(ctx.deps, removed, { type: "qna.thread", action: "removed", lessonId: lesson.id, threadId: thread.id, actor, trace }),
  ]);
  return toThreadView(row, ref);
});
