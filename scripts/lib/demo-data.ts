import { signUserToken } from "@cohort/api";
import { seedCourse, type Db } from "@cohort/db";

export interface DemoData {
  courseId: number;
  lessonId: number;
  teacher: { userId: number; participantId: number; nickname: string; token: string };
  students: { userId: number; participantId: number; nickname: string; token: string }[];
}

/** Seeds a course with a teacher, N students and a lesson, and signs a token for each. */
export async function createDemoData(
  db: Db,
  options: { students: number; secret: string; templateKey?: string | null; issuer?: string; audience?: string },
): Promise<DemoData> {
  const seeded = await seedCourse(db, {
    students: options.students,
    courseName: "Intro to Programming",
    lessonName: "Lesson 1: Variables",
    teacherName: "Ada (teacher)",
    templateKey: options.templateKey ?? null,
  });
  const sign = (userId: number) =>
    signUserToken({ secret: options.secret, userId, issuer: options.issuer, audience: options.audience, expiresInSec: 30 * 24 * 3600 });
  return {
    courseId: seeded.courseId,
    lessonId: seeded.lessonId,
    teacher: { ...seeded.teacher, token: await sign(seeded.teacher.userId) },
    students: await Promise.all(seeded.students.map(async (s) => ({ ...s, token: await sign(s.userId) }))),
  };
}
