import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import type { CohortClient } from "@cohort/sdk";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { numberedLines, projectWithFiles, rejection } from "./support/qna-fixture.js";
import { seedQnaThreads } from "./support/seed-qna-threads.js";

let server: StartedApp;
let course: SeededCourse;
let other: SeededCourse;
let lessonId: number;
let teacher: CohortClient;
/** Owns the project with real files (threads created through the API land there). */
let owner: CohortClient;
let ownerId: number;
/** Students 1-3 own the seeded threads' projects, students 1-2 write them; student 4 sees none of them. */
const students: CohortClient[] = [];
let foreignThreadId: number;

type ListInput = { ownerId?: number; path?: string; limit?: number };

beforeAll(async () => {
  server = await startTestApp();
  const db = await testDb();
  course = await seedCourse(db, { students: 4, tag: "qna-paging" });
  other = await seedCourse(db, { students: 1, tag: "qna-paging-other" });
  lessonId = course.lessonId;
  teacher = await connectUser(server.wsUrl, course.teacher.userId);
  for (const student of course.students) students.push(await connectUser(server.wsUrl, student.userId));
  owner = students[0]!;
  ownerId = await projectWithFiles(owner, lessonId, { "main.py": numberedLines(30) });
  // 150 threads over three projects of three files each, written by students 1-2; the teacher is in
  // every access list, a student only in those of the threads they wrote or whose project they own.
  const owners = course.students.slice(0, 3).map((s) => s.participantId);
  await seedQnaThreads(db, { lessonId, ownerIds: owners, authorIds: owners.slice(0, 2), viewerIds: [course.teacher.participantId], threads: 150, commentsPerThread: 2 });

  const outsider = await connectUser(server.wsUrl, other.teacher.userId);
  const otherOwnerId = await projectWithFiles(outsider, other.lessonId, { "x.py": "x = 1\n" });
  const foreign = await outsider.api.qna.create.mutate({ lessonId: other.lessonId, ref: { ownerId: otherOwnerId, path: "x.py", lines: { start: 1, end: 1 } }, content: "secret" });
  foreignThreadId = foreign.id;
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

/** Ids of the threads `participantId` is in the access list of, newest first, read straight from the database. */
async function visibleIds(participantId: number, filter: ListInput = {}): Promise<number[]> {
  const threads = await (
    await testDb()
  ).qnaThread.findMany({
    where: {
      lessonId,
      viewers: { some: { participantId } },
      codeRef: { ...(filter.path === undefined ? {} : { path: filter.path }), ...(filter.ownerId === undefined ? {} : { project: { ownerId: filter.ownerId } }) },
    },
    select: { id: true },
    orderBy: { id: "desc" },
  });
  return threads.map((t) => t.id);
}

/** Calls qna.list page after page, each before the last thread of the previous one, until a short page. */
async function walk(client: CohortClient, input: ListInput, between?: (pageNumber: number) => Promise<void>) {
  const pages: number[][] = [];
  for (let before: number | undefined; ; ) {
    const page = await client.api.qna.list.query({ lessonId, ...input, ...(before === undefined ? {} : { before }) });
    pages.push(page.map((t) => t.id));
    if (page.length < (input.limit ?? 100)) return pages;
    before = page.at(-1)!.id;
    await between?.(pages.length);
  }
}

describe("qna.list pages", () => {
  it("default to the 100 newest threads, newest first", async () => {
    const expected = await visibleIds(course.teacher.participantId);
    expect(expected.length).toBeGreaterThan(100);
    const page = await teacher.api.qna.list.query({ lessonId });
    expect(page.map((t) => t.id)).toEqual(expected.slice(0, 100));
    // Each thread comes whole: its comments, oldest first.
    expect(page.every((t) => t.comments.length === 2 && t.comments[0]!.id < t.comments[1]!.id)).toBe(true);
  });

  it.each([
    ["the whole lesson, default limit", "teacher", {}],
    ["the whole lesson, 7 at a time", "teacher", { limit: 7 }],
    ["the whole lesson, one at a time", "teacher", { limit: 1 }],
    ["the whole lesson, at most 500", "teacher", { limit: 500 }],
    ["one project", "teacher", { ownerId: 1 }],
    ["one file, 4 at a time", "teacher", { ownerId: 1, path: "src/util.py", limit: 4 }],
    ["a student's own threads, 9 at a time", "student", { limit: 9 }],
    ["a student's threads on another's project", "student", { ownerId: 3, limit: 3 }],
  ] as const)("walk %s: every visible thread once, in order", async (_name, who, input) => {
    const client = who === "teacher" ? teacher : students[1]!;
    const participantId = who === "teacher" ? course.teacher.participantId : course.students[1]!.participantId;
    // ownerId n stands for the n-th student (a seeded project owner).
    const filter: ListInput = { ...input, ...("ownerId" in input ? { ownerId: course.students[input.ownerId - 1]!.participantId } : {}) };
    const expected = await visibleIds(participantId, filter);
    expect(expected.length).toBeGreaterThan(0);
    const pages = await walk(client, filter);
    expect(pages.flat()).toEqual(expected);
    const limit = filter.limit ?? 100;
    expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
    expect(pages.length).toBe(Math.floor(expected.length / limit) + 1);
  });

  it("shows a student none of the threads they are not in the access list of, on any page", async () => {
    const pages = await walk(students[3]!, { limit: 5 });
    expect(pages).toEqual([[]]);
  });

  it("neither repeat nor skip a thread when threads are created between two pages", async () => {
    const before = await visibleIds(course.teacher.participantId);
    const created: number[] = [];
    const pages = await walk(teacher, { limit: 40 }, async () => {
      // A new thread on a file of the walk, and one on a file of its own, after each page.
      for (const line of [1, 5]) {
        const thread = await owner.api.qna.create.mutate({ lessonId, ref: { ownerId, path: "main.py", lines: { start: line, end: line } }, acl: [course.teacher.participantId], content: "new" });
        created.push(thread.id);
      }
    });
    expect(pages.flat()).toEqual(before);
    expect(created).toHaveLength(2 * (pages.length - 1));
    // The next walk starts with them, newest first.
    const first = await teacher.api.qna.list.query({ lessonId, limit: created.length });
    expect(first.map((t) => t.id)).toEqual(created.toReversed());
    expect(first.every((t) => t.ref.path === "main.py" && !t.ref.outdated)).toBe(true);
  });

  it("go on from a thread the caller was taken off the access list of, without showing it", async () => {
    const all = await visibleIds(course.teacher.participantId);
    const first = await teacher.api.qna.list.query({ lessonId, limit: 10 });
    // Its author takes the teacher off the last thread of the page (the cursor) and off one of the next page.
    const cursor = first.at(-1)!;
    const hidden = all[12]!;
    for (const threadId of [cursor.id, hidden]) {
      const { authorId } = await (await testDb()).qnaThread.findUniqueOrThrow({ where: { id: threadId }, select: { authorId: true } });
      const author = students[course.students.findIndex((s) => s.participantId === authorId)]!;
      await author.api.qna.update.mutate({ lessonId, threadId, acl: [] });
    }
    const next = await teacher.api.qna.list.query({ lessonId, limit: 10, before: cursor.id });
    expect(next.map((t) => t.id)).toEqual(all.slice(10, 21).filter((id) => id !== hidden));
    expect((await visibleIds(course.teacher.participantId)).includes(hidden)).toBe(false);
  });
});

describe("qna.list input", () => {
  it.each([
    ["limit 0", { limit: 0 }],
    ["a negative limit", { limit: -1 }],
    ["a limit over 500", { limit: 501 }],
    ["a huge limit", { limit: 1e15 }],
    ["a fractional limit", { limit: 2.5 }],
    ["a limit as text", { limit: "10" }],
    ["a limit as an object", { limit: { gt: 1 } }],
    ["before 0", { before: 0 }],
    ["a negative before", { before: -3 }],
    ["before past the id range", { before: 2 ** 31 }],
    ["a fractional before", { before: 1.5 }],
    ["before as text", { before: "1; DROP TABLE \"QnaThread\"" }],
    ["before as a list", { before: [1] }],
    ["an unknown field", { cursor: "abc" }],
  ])("refuses %s as BAD_REQUEST", async (_name, bad) => {
    const input = { lessonId, ...bad } as unknown as { lessonId: number };
    expect(await rejection(teacher.api.qna.list.query(input))).toMatchObject({ code: "BAD_REQUEST", appCode: "INVALID_INPUT" });
  });

  it("refuses a thread of another lesson as the cursor exactly like one that does not exist, and changes nothing", async () => {
    const db = await testDb();
    const refs = () => db.codeRef.findMany({ where: { project: { lessonId } }, orderBy: { id: "asc" } });
    const stored = await refs();
    const missing = 2_000_000_000;
    const foreign = await rejection(teacher.api.qna.list.query({ lessonId, before: foreignThreadId }));
    const none = await rejection(teacher.api.qna.list.query({ lessonId, before: missing }));
    expect(foreign).toMatchObject({ code: "BAD_REQUEST", appCode: "INVALID_INPUT" });
    expect(none).toMatchObject({ code: "BAD_REQUEST", appCode: "INVALID_INPUT" });
    expect(foreign.message.replace(String(foreignThreadId), "N")).toBe(none.message.replace(String(missing), "N"));
    expect(foreign.message).not.toMatch(/secret|x\.py/);
    expect(await refs()).toEqual(stored);
  });

  it("answers a non-member with a cursor as a non-member, before looking at the cursor", async () => {
    const stranger = await connectUser(server.wsUrl, other.students[0]!.userId);
    const ownThread = (await visibleIds(course.teacher.participantId))[0]!;
    for (const before of [ownThread, foreignThreadId, 2_000_000_000]) {
      expect(await rejection(stranger.api.qna.list.query({ lessonId, before }))).toMatchObject({ code: "FORBIDDEN", appCode: "NOT_A_MEMBER" });
    }
  });
});
