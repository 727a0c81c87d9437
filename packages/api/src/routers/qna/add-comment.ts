import { zQnaCommentInput } from "../../schemas/qna.js";
import { userProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { stampReceive } from "../../domain/trace.js";
import { notifyInbox } from "../../domain/qna/notify-inbox.js";
import { qnaLimits } from "../../domain/qna/qna-limits.js";
import { requireThreadMember } from "../../domain/qna/thread-access.js";
import { toCommentView } from "../../domain/qna/thread-view.js";

/** Adds a comment (markdown, stored as text) to a thread the caller is in the access list of. */
export const addComment = userProcedure.input(zQnaCommentInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const { db } = ctx.deps;
  const { lesson, participant: me, thread } = await requireThreadMember(ctx, input);
  const { maxCommentsPerThread } = qnaLimits(ctx);

  const { comment, acl } = await db.$transaction(async (tx) => {
    // Comments on one thread queue here: the limit holds under concurrency, and the access list
    // read below is the one in force when the comment was written.
    await tx.$queryRaw`SELECT id FROM "QnaThread" WHERE id = ${thread.id} FOR UPDATE`;
    const viewers = (await tx.qnaThreadViewer.findMany({ where: { threadId: thread.id }, select: { participantId: true } })).map((v) => v.participantId);
    if (!viewers.includes(me.id)) throw new AppError("NOT_IN_ACL", `You are not in the access list of thread ${thread.id}`);
    const count = await tx.qnaComment.count({ where: { threadId: thread.id } });
    if (count >= maxCommentsPerThread) throw new AppError("TOO_MANY_COMMENTS", `Thread ${thread.id} already has ${count} comments (at most ${maxCommentsPerThread})`);
    const created = await tx.qnaComment.create({
      data: { threadId: thread.id, authorId: me.id, content: input.content },
      include: { author: { select: { nickname: true } } },
    });
    return { comment: toCommentView(thread.id, created), acl: viewers };
  });

  await notifyInbox(ctx.deps, acl, {
    type: "qna.comment",
    action: "created",
    lessonId: lesson.id,
    threadId: thread.id,
    comment,
    actor: { id: me.id, nickname: me.nickname },
    trace: stampReceive(input.trace, receivedAt),
  });
  return comment;
});
