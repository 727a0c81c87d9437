import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type Db, type SeededCourse } from "@cohort/db";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { seedQnaThreads } from "./support/seed-qna-threads.js";

let server: StartedApp;
let course: SeededCourse;
const statements: string[] = [];
const serverMs: number[] = [];

beforeAll(async () => {
  server = await startTestApp();
  course = await seedCourse(await testDb(), { students: 20, tag: "qna-list" });
  // Count every statement the server's Prisma client sends, raw ones included.
  const counted = server.app.deps.db.$extends({
    query: {
      async $allOperations({ operation, model, args, query }) {
        statements.push(model ? `${model}.${operation}` : operation);
        return query(args);
      },
    },
  });
  server.app.deps.db = counted as unknown as Db;
  const observe = server.app.deps.observe;
  server.app.deps.observe = (call) => {
    if (call.path === "qna.list") serverMs.push(call.durationMs);
    observe?.(call);
  };
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

describe("qna.list at lesson scale", () => {
  it("pages through 2,000 threads with 10,000 comments, one thread query per page", async () => {
    const students = course.students.map((s) => s.participantId);
    const seeded = await seedQnaThreads(await testDb(), {
      lessonId: course.lessonId,
      ownerIds: students,
      authorIds: students,
      viewerIds: [course.teacher.participantId],
      threads: 2_000,
      commentsPerThread: 5,
    });
    expect(seeded.comments).toBe(10_000);
    const teacher = await connectUser(server.wsUrl, course.teacher.userId);
    await teacher.api.qna.list.query({ lessonId: course.lessonId }); // warm up

    statements.length = 0;
    const first = await teacher.api.qna.list.query({ lessonId: course.lessonId });
    // The default page: the 100 newest threads, newest first.
    expect(first.map((t) => t.id)).toEqual(seeded.threadIds.toReversed().slice(0, 100));
    expect(first.reduce((n, t) => n + t.comments.length, 0)).toBe(500);
    // ONE statement for membership (lesson and participant) and ONE for the page's threads with their
    // acl and comments (other statements may come from background work such as the backup worker).
    expect(statements.filter((s) => s === "$queryRaw")).toHaveLength(2);
    expect(statements.filter((s) => /^(qna|codeRef)/i.test(s))).toEqual([]);
    expect(statements.filter((s) => /^(Lesson|Participant)\./.test(s))).toEqual([]);
    const perCall = statements.length;

    // A later page adds one lookup of the cursor's thread, and still one thread query.
    statements.length = 0;
    const second = await teacher.api.qna.list.query({ lessonId: course.lessonId, before: first.at(-1)!.id });
    expect(second.map((t) => t.id)).toEqual(seeded.threadIds.toReversed().slice(100, 200));
    expect(statements.filter((s) => s === "$queryRaw")).toHaveLength(2);
    expect(statements.filter((s) => /^(qna|codeRef)/i.test(s))).toEqual(["QnaThread.findUnique"]);

    // Walking every page with the largest limit gives every thread and comment exactly once.
    const walked: number[] = [];
    let comments = 0;
    let deleted = 0;
    for (let before: number | undefined; ; ) {
      const page = await teacher.api.qna.list.query({ lessonId: course.lessonId, limit: 500, ...(before === undefined ? {} : { before }) });
      walked.push(...page.map((t) => t.id));
      for (const comment of page.flatMap((t) => t.comments)) {
        comments++;
        if (!comment.deleted) continue;
        // Deleted comments come without content.
        expect(comment.content, `comment ${comment.id}`).toBe("");
        deleted++;
      }
      if (page.length < 500) break;
      before = page.at(-1)!.id;
    }
    expect(walked).toEqual(seeded.threadIds.toReversed());
    expect(comments).toBe(10_000);
    expect(deleted).toBeGreaterThan(0);

    serverMs.length = 0;
    const timings: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await teacher.api.qna.list.query({ lessonId: course.lessonId });
      timings.push(performance.now() - started);
    }
    timings.sort((x, y) => x - y);
    serverMs.sort((x, y) => x - y);
    console.log(
      `qna.list, first page of 2,000 threads / 10,000 comments: in the server p50 ${serverMs[10]!.toFixed(1)} ms, max ${serverMs.at(-1)!.toFixed(1)} ms;` +
        ` over WebSocket p50 ${timings[10]!.toFixed(1)} ms, max ${timings.at(-1)!.toFixed(1)} ms; ${perCall} statements`,
    );

    // A student sees only their threads (author or owner), with the same single statement.
    const student = await connectUser(server.wsUrl, course.students[3]!.userId);
    const own = await student.api.qna.list.query({ lessonId: course.lessonId });
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((t) => t.acl.includes(course.students[3]!.participantId))).toBe(true);
    const ofOne = await student.api.qna.list.query({ lessonId: course.lessonId, ownerId: course.students[3]!.participantId, path: "main.py" });
    expect(ofOne.length).toBeGreaterThan(0);
    expect(ofOne.every((t) => t.ref.path === "main.py" && t.ref.ownerId === course.students[3]!.participantId)).toBe(true);
  });
});
