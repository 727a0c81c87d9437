import type { Db } from "@cohort/db";
import { AppError } from "../errors.js";
import { loadJoinState } from "./load-join-state.js";
import { lessonNotFound } from "./membership-errors.js";
import type { Principal } from "../context.js";

export interface LessonMembership {
  lesson: { id: number; courseId: number; name: string; description: string; active: boolean; templateKey: string | null };
  participant: { id: number; nickname: string; role: "TEACHER" | "STUDENT" };
}

/**
 * Loads a lesson and the caller's participant in its course; refuses non-members. One query (the
 * one `lesson.join` uses): every lesson-scoped call starts here, and each Prisma model call costs
 * about a millisecond of CPU to compile.
 */
export async function requireMembership(db: Db, lessonId: number, userId: number): Promise<LessonMembership> {
  const { lesson, participant } = await loadJoinState(db, lessonId, userId);
  return { lesson, participant };
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
