import { signUserToken } from "@cohort/api";
import { seedCourse, type Db } from "@cohort/db";
import { BENCH_JWT_SECRET } from "./cohort-server.js";

export interface Member {
  userId: number;
  participantId: number;
  token: string;
}

export interface SeededLesson {
  lessonId: number;
  teacher: Member;
  students: Member[];
}

let seeded = 0;

/** A course with a teacher, `students` students and one lesson, with a token for everyone. */
export async function seedLesson(db: Db, { students, templateKey }: { students: number; templateKey?: string | null }): Promise<SeededLesson> {
  const course = await seedCourse(db, { students, templateKey: templateKey ?? null, tag: `bench-${process.pid}-${++seeded}` });
  const sign = (userId: number) => signUserToken({ secret: BENCH_JWT_SECRET, userId, expiresInSec: 24 * 3600 });
  return {
    lessonId: course.lessonId,
    teacher: { ...course.teacher, token: await sign(course.teacher.userId) },
    students: await Promise.all(course.students.map(async (s) => ({ userId: s.userId, participantId: s.participantId, token: await sign(s.userId) }))),
  };
}
