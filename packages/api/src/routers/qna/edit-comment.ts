import { zQnaEditCommentInput } from "../../schemas/qna.js";
import { userProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { requireMembership } from "../../domain/membership.js";
import { stampReceive } from "../../domain/trace.js";
import { notifyInbox } from "../../domain/qna/notify-inbox.js";
import { toCommentView } from "../../domain/qna/thread-view.js";

/**
 * The author of a comment rewrites or deletes it. Deleting is soft: the comment stays in its
 * thread, marked deleted, and its content is erased (from the database too, not only from answers).
 */
export const editComment = userProcedure.input(zQnaEditCommentInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const { db } = ctx.deps;
  const [{ lesson, participant: me }, found] = await Promise.all([
    requireMembership(db, input.lessonId, ctx.userId),
    db.qnaComment.findUnique({ where: { id: input.commentId }, select: { id: true, thread: { select: { id: true, lessonId: true } } } }),
  ]);
  if (!found || found.thread.lessonId !== lesson.id) throw new AppError("COMMENT_NOT_FOUND", `Comment ${input.commentId} does not exist in lesson ${input.lessonId}`);
  const threadId = found.thread.id;
  const remove = input.delete === true;

  const outcome = await db.$transaction(async (tx) => {
    // Same queue as comments and access-list changes of the thread: the list read here is the one
    // in force, and an edit racing a delete cannot bring the content back.
    await tx.$queryRaw`SELECT id FROM "QnaThread" WHERE id = ${threadId} FOR UPDATE`;
    const acl = (await tx.qnaThreadViewer.findMany({ where: { threadId }, select: { participantId: true } })).map((v) => v.participantId);
    if (!acl.includes(me.id)) throw new AppError("NOT_IN_ACL", `You are not in the access list of thread ${threadId}`);
    const current = await tx.qnaComment.findUniqueOrThrow({ where: { id: found.id }, select: { authorId: true, deleted: true } });
    if (current.authorId !== me.id) throw new AppError("NOT_AUTHOR", `Only the author of comment ${found.id} may change it`);
    if (current.deleted && !remove) throw new AppError("COMMENT_NOT_FOUND", `Comment ${found.id} was deleted`);
    const changed = !current.deleted;
    const comment = changed
      ? await tx.qnaComment.update({
          where: { id: found.id },
          data: remove ? { deleted: true, content: "" } : { content: input.content },
          include: { author: { select: { nickname: true } } },
        })
      : await tx.qnaComment.findUniqueOrThrow({ where: { id: found.id }, include: { author: { select: { nickname: true } } } });
    return { acl, changed, comment: toCommentView(threadId, comment) };
  });

  // Deleting a deleted comment again changes nothing and tells nobody.
  if (outcome.changed) {
    await notifyInbox(ctx.deps, outcome.acl, {
      type: "qna.comment",
      action: remove ? "deleted" : "updated",
      lessonId: lesson.id,
      threadId,
      comment: outcome.comment,
      actor: { id: me.id, nickname: me.nickname },
      trace: stampReceive(input.trace, receivedAt),
    });
  }
  return outcome.comment;
});
