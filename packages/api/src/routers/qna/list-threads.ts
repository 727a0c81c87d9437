import { zQnaListInput } from "../../schemas/qna.js";
import { userProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { requireMembership } from "../../domain/membership.js";
import { selectThreads } from "../../domain/qna/select-threads.js";
import { resolveAnchors } from "../../domain/qna/resolve-anchors.js";
import { toThreadView } from "../../domain/qna/thread-view.js";

/**
 * Threads the caller is in the access list of: of one file, of one project, or of the whole lesson.
 * Lines are where the code is now, after every edit on any instance.
 */
export const listThreads = userProcedure.input(zQnaListInput).query(async ({ input, ctx }) => {
  const { db } = ctx.deps;
  const [{ lesson, participant: me }, owner] = await Promise.all([
    requireMembership(db, input.lessonId, ctx.userId),
    input.ownerId === undefined ? null : db.participant.findUnique({ where: { id: input.ownerId }, select: { courseId: true } }),
  ]);
  if (input.ownerId !== undefined && owner?.courseId !== lesson.courseId) {
    throw new AppError("PARTICIPANT_NOT_FOUND", `Participant ${input.ownerId} is not in this lesson's course`);
  }
  const rows = await selectThreads(db, { lessonId: lesson.id, viewerId: me.id, ownerId: input.ownerId, path: input.path });
  const refs = await resolveAnchors(ctx, rows);
  return rows.map((row) => toThreadView(row, refs.get(row.refId)));
});
