import { zQnaListInput } from "../../schemas/qna.js";
import { userProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { requireMembership } from "../../domain/membership.js";
import { selectThreads } from "../../domain/qna/select-threads.js";
import { resolveAnchors } from "../../domain/qna/resolve-anchors.js";
import { toThreadView } from "../../domain/qna/thread-view.js";

/**
 * Threads the caller is in the access list of: of one file, of one project, or of the whole lesson,
 * newest first, one page (`limit`) at a time; `before` (the last thread id of the previous page)
 * continues with older ones. Lines are where the code is now, after every edit on any instance.
 */
export const listThreads = userProcedure.input(zQnaListInput).query(async ({ input, ctx }) => {
  const { db } = ctx.deps;
  // The threads are read alongside the checks (one round trip instead of two in a row) and only
  // returned once every check passed; they hold nothing but what the caller's access lists allow.
  const [{ lesson }, owner, cursor, rows] = await Promise.all([
    requireMembership(db, input.lessonId, ctx.userId),
    input.ownerId === undefined ? null : db.participant.findUnique({ where: { id: input.ownerId }, select: { courseId: true } }),
    input.before === undefined ? null : db.qnaThread.findUnique({ where: { id: input.before }, select: { lessonId: true } }),
    selectThreads(db, { lessonId: input.lessonId, viewerUserId: ctx.userId, ownerId: input.ownerId, path: input.path, before: input.before, limit: input.limit }),
  ]);
  if (input.ownerId !== undefined && owner?.courseId !== lesson.courseId) {
    throw new AppError("PARTICIPANT_NOT_FOUND", `Participant ${input.ownerId} is not in this lesson's course`);
  }
  // Any thread of the lesson marks a place, even one the caller no longer sees (taken off its
  // access list between two pages). A thread of another lesson, or none, is a caller's mistake;
  // both get the same answer, so the cursor says nothing about other lessons.
  if (input.before !== undefined && cursor?.lessonId !== lesson.id) {
    throw new AppError("INVALID_INPUT", `before: ${input.before} is not a thread of lesson ${lesson.id}`);
  }
  const refs = await resolveAnchors(ctx, rows);
  return rows.map((row) => toThreadView(row, refs.get(row.refId)));
});
