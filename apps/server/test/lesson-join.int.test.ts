import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Redis } from "ioredis";
import { seedCourse, type SeededCourse } from "@cohort/db";
import { appCodeOf, errorCodeOf } from "@cohort/sdk";
import { writeProjectZip, type TemplateInvalidReason } from "@cohort/storage";
import { projectKeysIn } from "@cohort/storage/redis-test-context";
import { buildZip, patchBytes, patchCentralRecord } from "@cohort/storage/zip-fixtures";
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
  const reason = (error as { data?: { reason?: string } }).data?.reason;
  return { code: errorCodeOf(error), appCode: appCodeOf(error), message: (error as Error).message, reason };
}

const projectKeys = (ref: { lessonId: number; ownerId: number }) => projectKeysIn(server.app.redis as Redis, inject("redisPrefix"), ref);

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
    const missing = await rejection(client.api.lesson.join.mutate({ lessonId: ref.lessonId }));
    expect(missing).toMatchObject({ code: "PRECONDITION_FAILED", appCode: "TEMPLATE_NOT_FOUND", message: `The lesson's template ${templateKey} does not exist` });
    expect(await db.project.count({ where: ref })).toBe(0);
    await server.app.blobs.put(templateKey, await writeProjectZip([{ path: "main.py", type: "file", content: Buffer.from("print(1)\n") }]));
    await client.api.lesson.join.mutate({ lessonId: ref.lessonId });
    expect(await db.project.findMany({ where: ref, select: { templateApplied: true } })).toEqual([{ templateApplied: true }]);
    // What the refusals below must not leave: the keys of a project in Redis.
    expect(await projectKeys(ref)).not.toEqual([]);
    expect((await client.readProject(ref)).map((f) => [f.path, f.content])).toEqual([["main.py", "print(1)\n"]]);
    // A later join neither applies it again nor touches the files.
    await client.api.files.write.mutate({ ...ref, path: "main.py", content: "print(2)\n" });
    await client.api.lesson.join.mutate({ lessonId: ref.lessonId });
    expect((await client.readProject(ref))[0]?.content).toBe("print(2)\n");
  });

  // Hostile zips as an attacker with write access to the template bucket would make them.
  const hostile: [TemplateInvalidReason, () => Promise<Buffer>][] = [
    ["ZIP_SLIP", async () => patchBytes(await buildZip([{ name: "ok.txt" }, { name: "xx/evil.sh", content: Buffer.from("x") }]), "xx/evil.sh", "../evil.sh")],
    // A header that declares 1,000 bytes over 4 MiB of zeros: the limits pass, inflating must stop.
    ["ZIP_BOMB", async () => patchCentralRecord(await buildZip([{ name: "zeros.bin", content: Buffer.alloc(4 * 1024 * 1024) }]), 0, { uncompressedSize: 1000 })],
  ];
  it.each(hostile)("refuses a %s template with TEMPLATE_INVALID and its reason, leaving no project in PostgreSQL or Redis", async (reason, build) => {
    const db = await testDb();
    const templateKey = `templates/join-${reason}-${Date.now()}.zip`;
    await server.app.blobs.put(templateKey, await build());
    const templated = await seedCourse(db, { students: 1, tag: `join-${reason}`, templateKey });
    const client = await connectUser(server.wsUrl, templated.students[0]!.userId);
    const ref = { lessonId: templated.lessonId, ownerId: templated.students[0]!.participantId };
    const error = await rejection(client.api.lesson.join.mutate({ lessonId: ref.lessonId }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", appCode: "TEMPLATE_INVALID", reason });
    expect(error.message).toMatch(/^(Entry|The archive)/);
    expect(await db.project.count({ where: ref })).toBe(0);
    expect(await projectKeys(ref)).toEqual([]);
    // The teacher is refused the same way (the refusal is cached, not unpacked again), and nothing is left either.
    const teacher = await connectUser(server.wsUrl, templated.teacher.userId);
    expect(await rejection(teacher.api.lesson.join.mutate({ lessonId: ref.lessonId }))).toMatchObject({ appCode: "TEMPLATE_INVALID", reason });
    expect(await projectKeys({ ...ref, ownerId: templated.teacher.participantId })).toEqual([]);
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
