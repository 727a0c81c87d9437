import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import { appCodeOf, errorCodeOf } from "@cohort/sdk";
import { writeProjectZip } from "@cohort/storage";
import { closeAllClients, connectAdmin, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";

let server: StartedApp;
let course: SeededCourse;
let other: SeededCourse;

beforeAll(async () => {
  server = await startTestApp();
  const db = await testDb();
  course = await seedCourse(db, { students: 2, tag: "join" });
  other = await seedCourse(db, { students: 1, tag: "join-other" });
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail").not.toBeNull();
  return { code: errorCodeOf(error), appCode: appCodeOf(error), message: (error as Error).message };
}

describe("lesson.join", () => {
  it("returns the participant, the lesson and the caller's project", async () => {
    const student = course.students[0]!;
    const client = await connectUser(server.wsUrl, student.userId);
    const joined = await client.api.lesson.join.mutate({ lessonId: course.lessonId });
    expect(joined.participant).toEqual({ id: student.participantId, nickname: student.nickname, role: "STUDENT" });
    expect(joined.lesson).toMatchObject({ id: course.lessonId, courseId: course.courseId, active: true });
    expect(joined.project.id).toBeGreaterThan(0);
    expect(new Date(joined.project.createdAt).toISOString()).toBe(joined.project.createdAt);
    // Idempotent: a second join returns the same project.
    const again = await client.api.lesson.join.mutate({ lessonId: course.lessonId });
    expect(again.project).toEqual(joined.project);
  });

  it("creates exactly one project when one user joins from many connections at once", async () => {
    const student = course.students[1]!;
    const clients = await Promise.all(Array.from({ length: 8 }, () => connectUser(server.wsUrl, student.userId)));
    const results = await Promise.all(clients.map((c) => c.api.lesson.join.mutate({ lessonId: course.lessonId })));
    expect(new Set(results.map((r) => r.project.id)).size).toBe(1);
    const db = await testDb();
    const rows = await db.project.count({ where: { lessonId: course.lessonId, ownerId: student.participantId } });
    expect(rows).toBe(1);
  });

  it("applies the lesson template once; a join whose template is missing leaves no project and the next join applies it", async () => {
    const db = await testDb();
    const templateKey = `templates/join-${Date.now()}.zip`;
    const templated = await seedCourse(db, { students: 1, tag: "join-template", templateKey });
    const student = templated.students[0]!;
    const client = await connectUser(server.wsUrl, student.userId);
    const ref = { lessonId: templated.lessonId, ownerId: student.participantId };
    expect((await rejection(client.api.lesson.join.mutate({ lessonId: ref.lessonId }))).code).toBeDefined();
    expect(await db.project.count({ where: ref })).toBe(0);
    await server.app.blobs.put(templateKey, await writeProjectZip([{ path: "main.py", type: "file", content: Buffer.from("print(1)\n") }]));
    await client.api.lesson.join.mutate({ lessonId: ref.lessonId });
    expect(await db.project.findMany({ where: ref, select: { templateApplied: true } })).toEqual([{ templateApplied: true }]);
    expect((await client.readProject(ref)).map((f) => [f.path, f.content])).toEqual([["main.py", "print(1)\n"]]);
    // A later join neither applies it again nor touches the files.
    await client.api.files.write.mutate({ ...ref, path: "main.py", content: "print(2)\n" });
    await client.api.lesson.join.mutate({ lessonId: ref.lessonId });
    expect((await client.readProject(ref))[0]?.content).toBe("print(2)\n");
  });

  it("refuses a user who is not a member of the course", async () => {
    const outsider = await connectUser(server.wsUrl, other.students[0]!.userId);
    const error = await rejection(outsider.api.lesson.join.mutate({ lessonId: course.lessonId }));
    expect(error).toMatchObject({ code: "FORBIDDEN", appCode: "NOT_A_MEMBER" });
    const db = await testDb();
    expect(await db.project.count({ where: { lessonId: course.lessonId, ownerId: other.students[0]!.participantId } })).toBe(0);
  });

  it("gives NOT_FOUND for an unknown lesson", async () => {
    const client = await connectUser(server.wsUrl, course.teacher.userId);
    const error = await rejection(client.api.lesson.join.mutate({ lessonId: 2_000_000_000 }));
    expect(error).toMatchObject({ code: "NOT_FOUND", appCode: "LESSON_NOT_FOUND" });
  });

  it("refuses the admin key (admins do not have projects)", async () => {
    const admin = connectAdmin(server.wsUrl);
    const error = await rejection(admin.api.lesson.join.mutate({ lessonId: course.lessonId }));
    expect(error).toMatchObject({ code: "FORBIDDEN", appCode: "NOT_A_USER" });
  });

  const malformed: [string, unknown][] = [
    ["a string id", { lessonId: "1" }],
    ["a negative id", { lessonId: -4 }],
    ["a fractional id", { lessonId: 1.5 }],
    ["an id past int32", { lessonId: 2 ** 40 }],
    ["no id", {}],
    ["an extra field", { lessonId: 1, sneaky: true }],
    ["a huge string", { lessonId: "9".repeat(200_000) }],
    ["null", null],
  ];

  it.each(malformed)("answers %s with BAD_REQUEST and changes nothing", async (_name, input) => {
    const db = await testDb();
    // The caller's projects only: other test files create projects in the same database meanwhile.
    const projects = () => db.project.count({ where: { owner: { userId: course.teacher.userId } } });
    const before = await projects();
    const client = await connectUser(server.wsUrl, course.teacher.userId);
    const error = await rejection(client.api.lesson.join.mutate(input as { lessonId: number }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", appCode: "INVALID_INPUT" });
    expect(error.message.length).toBeLessThan(2_000);
    expect(await projects()).toBe(before);
  });
});

describe("lesson.participants", () => {
  it("lists the course's participants with their projects", async () => {
    const client = await connectUser(server.wsUrl, course.teacher.userId);
    const list = await client.api.lesson.participants.query({ lessonId: course.lessonId });
    expect(list.map((p) => p.id)).toEqual([course.teacher.participantId, ...course.students.map((s) => s.participantId)]);
    expect(list.every((p) => typeof p.online === "boolean")).toBe(true);
  });

  it("is refused to non-members", async () => {
    const outsider = await connectUser(server.wsUrl, other.teacher.userId);
    const error = await rejection(outsider.api.lesson.participants.query({ lessonId: course.lessonId }));
    expect(error.appCode).toBe("NOT_A_MEMBER");
  });
});

describe("session.timeSync", () => {
  it("estimates a clock offset within a few ms of zero on one machine", async () => {
    const client = await connectUser(server.wsUrl, course.teacher.userId);
    const estimate = await client.syncClock(8);
    expect(Math.abs(estimate.offsetMs)).toBeLessThanOrEqual(Math.max(3, estimate.uncertaintyMs + 1));
    expect(estimate.samples).toBe(8);
  });
});
