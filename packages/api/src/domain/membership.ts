import type { Db } from "@cohort/db";
import { AppError } from "../errors.js";
import type { Principal } from "../context.js";

export interface LessonMembership {
  lesson: { id: number; courseId: number; name: string; description: string; active: boolean; templateKey: string | null };
  participant: { id: number; nickname: string; role: "TEACHER" | "STUDENT" };
}

/** Loads a lesson and the caller's participant in its course; refuses non-members. */
export async function requireMembership(db: Db, lessonId: number, userId: number): Promise<LessonMembership> {
  const lesson = await db.lesson.findUnique({ where: { id: lessonId } });
  if (!lesson) throw lessonNotFound(lessonId);
  const participant = await db.participant.findUnique({
    where: { courseId_userId: { courseId: lesson.courseId, userId } },
    select: { id: true, nickname: true, role: true },
  });
  if (!participant) throw notAMember(lessonId);
  return { lesson, participant };
}

export function lessonNotFound(lessonId: number): AppError {
  return new AppError("LESSON_NOT_FOUND", `Lesson ${lessonId} does not exist`);
}

export function notAMember(lessonId: number): AppError {
  return new AppError("NOT_A_MEMBER", `You are not a member of the course of lesson ${lessonId}`);
}

/** Admins may look at any lesson; users only at their courses' lessons. */
export async function requireLessonAccess(
  db: Db,
  lessonId: number,
  principal: Principal,
): Promise<{ lesson: LessonMembership["lesson"]; participant: LessonMembership["participant"] | null }> {
  if (principal.kind === "user") return requireMembership(db, lessonId, principal.userId);
  if (principal.kind === "tester") throw new AppError("NOT_A_USER", "A tester process acts through its virtual clients' accounts");
  const lesson = await db.lesson.findUnique({ where: { id: lessonId } });
  if (!lesson) throw lessonNotFound(lessonId);
  return { lesson, participant: null };
}
