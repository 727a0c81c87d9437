import type { Db } from "../create-db.js";

export interface SeedCourseOptions {
  students: number;
  courseName?: string;
  lessonName?: string;
  teacherName?: string;
  templateKey?: string | null;
  /** Distinguishes nicknames of several seeded courses (tests). */
  tag?: string;
}

export interface SeededCourse {
  courseId: number;
  lessonId: number;
  teacher: { userId: number; participantId: number; nickname: string };
  students: { userId: number; participantId: number; nickname: string }[];
}

/** Creates a course with a teacher, N students and one lesson, in one transaction. */
export async function seedCourse(db: Db, options: SeedCourseOptions): Promise<SeededCourse> {
  const tag = options.tag ? ` ${options.tag}` : "";
  return db.$transaction(async (tx) => {
    const teacherUser = await tx.user.create({ data: { name: options.teacherName ?? `Teacher${tag}` } });
    const course = await tx.course.create({ data: { name: options.courseName ?? `Course${tag}`, teacherId: teacherUser.id } });
    const teacher = await tx.participant.create({
      data: { courseId: course.id, userId: teacherUser.id, role: "TEACHER", nickname: teacherUser.name },
    });
    const lesson = await tx.lesson.create({
      data: {
        courseId: course.id,
        name: options.lessonName ?? `Lesson 1${tag}`,
        description: "Seeded lesson",
        templateKey: options.templateKey ?? null,
      },
    });
    const students = [];
    for (let i = 1; i <= options.students; i++) {
      const user = await tx.user.create({ data: { name: `Student ${i}${tag}` } });
      const participant = await tx.participant.create({
        data: { courseId: course.id, userId: user.id, role: "STUDENT", nickname: user.name },
      });
      students.push({ userId: user.id, participantId: participant.id, nickname: participant.nickname });
    }
    return {
      courseId: course.id,
      lessonId: lesson.id,
      teacher: { userId: teacherUser.id, participantId: teacher.id, nickname: teacher.nickname },
      students,
    };
  });
}
