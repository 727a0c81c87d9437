import type { Db } from "@cohort/db";
import type { Context } from "../../context.js";
import { AppError } from "../../errors.js";
import { requireMembership, type LessonMembership } from "../membership.js";

export interface ThreadAccess extends LessonMembership {
  thread: { id: number; authorId: number; ownerId: number; acl: number[] };
}

/**
 * The caller's membership and a thread of the lesson they are in the access list of. A thread of
 * another lesson (or course) is not found, whether or not the caller could see it there.
 */
export async function requireThreadMember(ctx: Context & { userId: number }, input: { lessonId: number; threadId: number }): Promise<ThreadAccess> {
  const { db } = ctx.deps;
  const [membership, thread] = await Promise.all([
    requireMembership(db, input.lessonId, ctx.userId),
    db.qnaThread.findUnique({
      where: { id: input.threadId },
      select: { id: true, lessonId: true, authorId: true, viewers: { select: { participantId: true } }, codeRef: { select: { project: { select: { ownerId: true } } } } },
    }),
  ]);
  if (!thread || thread.lessonId !== membership.lesson.id) throw new AppError("THREAD_NOT_FOUND", `Thread ${input.threadId} does not exist in lesson ${input.lessonId}`);
  const acl = thread.viewers.map((v) => v.participantId);
  if (!acl.includes(membership.participant.id)) throw new AppError("NOT_IN_ACL", `You are not in the access list of thread ${thread.id}`);
  return { ...membership, thread: { id: thread.id, authorId: thread.authorId, ownerId: thread.codeRef.project.ownerId, acl } };
}

/**
 * An access list as stored: the requested participants plus the ones always in it, sorted. Every
 * one must be a participant of the lesson's course; others are refused, not dropped.
 */
export async function resolveAcl(db: Db, input: { courseId: number; requested: readonly number[]; always: readonly number[] }): Promise<number[]> {
  const requested = [...new Set(input.requested)];
  if (requested.length === 0) return [...new Set(input.always)].sort((a, b) => a - b);
  const known = await db.participant.findMany({ where: { id: { in: requested }, courseId: input.courseId }, select: { id: true } });
  if (known.length !== requested.length) {
    const found = new Set(known.map((p) => p.id));
    throw new AppError("PARTICIPANT_NOT_FOUND", `Not participants of this course: ${requested.filter((id) => !found.has(id)).join(", ")}`);
  }
  return [...new Set([...requested, ...input.always])].sort((a, b) => a - b);
}
