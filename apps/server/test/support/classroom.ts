import { seedCourse, type SeededCourse } from "@cohort/db";
import type { CohortClient } from "@cohort/sdk";
import { connectUser } from "./test-app.js";
import { testDb } from "./test-db.js";

export interface Member {
  userId: number;
  participantId: number;
  nickname: string;
  client: CohortClient;
}

export interface Classroom {
  course: SeededCourse;
  lessonId: number;
  teacher: Member;
  students: Member[];
}

/** A seeded course whose teacher and students are connected (to `wsUrls`, round robin) and joined. */
export async function classroom(wsUrls: string | string[], options: { students: number; tag: string; templateKey?: string }): Promise<Classroom> {
  const urls = Array.isArray(wsUrls) ? wsUrls : [wsUrls];
  const course = await seedCourse(await testDb(), { students: options.students, tag: options.tag, templateKey: options.templateKey ?? null });
  let i = 0;
  const connect = async (person: { userId: number; participantId: number; nickname: string }): Promise<Member> => {
    const client = await connectUser(urls[i++ % urls.length]!, person.userId);
    await client.api.lesson.join.mutate({ lessonId: course.lessonId });
    return { ...person, client };
  };
  const teacher = await connect(course.teacher);
  const students = await Promise.all(course.students.map(connect));
  return { course, lessonId: course.lessonId, teacher, students };
}

/** The error class and reason of a failed call (fails the test if the call succeeded). */
export async function refusal(promise: Promise<unknown>): Promise<{ code?: string; appCode?: string; message: string }> {
  const { appCodeOf, errorCodeOf } = await import("@cohort/sdk");
  try {
    await promise;
  } catch (error) {
    return { code: errorCodeOf(error), appCode: appCodeOf(error), message: (error as Error).message };
  }
  throw new Error("expected the call to be refused, but it succeeded");
}
