import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTypeOf } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import type { CohortClient } from "@cohort/sdk";
import type { QnaComment, QnaThread } from "@cohort/api/schemas";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { waitFor } from "./support/wait-for.js";
import { numberedLines, projectWithFiles, rejection, watchInbox } from "./support/qna-fixture.js";

type Role = "author" | "owner" | "teacher" | "inAcl" | "outsideAcl";
const roles: Role[] = ["author", "owner", "teacher", "inAcl", "outsideAcl"];

let server: StartedApp;
let course: SeededCourse;
let other: SeededCourse;
let lessonId: number;
/** Who plays each role: S1 owns the project, S2 (granted READ by S1) asks, S3 is added, S4 is not. */
const ids = {} as Record<Role, number>;
const clients = {} as Record<Role, CohortClient>;
let inboxes: Record<Role, ReturnType<typeof watchInbox>>;
let outsider: CohortClient;
let otherOwnerId: number;
let otherClient: CohortClient;

beforeAll(async () => {
  server = await startTestApp();
  const db = await testDb();
  course = await seedCourse(db, { students: 4, tag: "qna-access" });
  other = await seedCourse(db, { students: 1, tag: "qna-access-other" });
  lessonId = course.lessonId;
  const [s1, s2, s3, s4] = course.students as [SeededCourse["students"][0], SeededCourse["students"][0], SeededCourse["students"][0], SeededCourse["students"][0]];
  Object.assign(ids, { owner: s1.participantId, author: s2.participantId, teacher: course.teacher.participantId, inAcl: s3.participantId, outsideAcl: s4.participantId });
  const users: Record<Role, number> = { owner: s1.userId, author: s2.userId, teacher: course.teacher.userId, inAcl: s3.userId, outsideAcl: s4.userId };
  for (const role of roles) clients[role] = await connectUser(server.wsUrl, users[role]);
  await projectWithFiles(clients.owner, lessonId, { "main.py": numberedLines(20), "notes/a.md": "# notes\n" });
  await clients.owner.api.project.setPermissions.mutate({ lessonId, grants: [{ viewerId: ids.author, permission: 4 }] });
  for (const role of roles) if (role !== "owner") await clients[role].api.lesson.join.mutate({ lessonId });
  inboxes = Object.fromEntries(roles.map((role) => [role, watchInbox(clients[role], lessonId)])) as typeof inboxes;
  await waitFor(() => roles.every((role) => inboxes[role].started), { what: "inbox subscriptions" });
  outsider = await connectUser(server.wsUrl, other.students[0]!.userId);
  otherClient = await connectUser(server.wsUrl, other.teacher.userId);
  otherOwnerId = await projectWithFiles(otherClient, other.lessonId, { "x.py": "x = 1\n" });
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

/** A thread by S2 on S1's main.py, lines 3-5, shared with S3. */
async function newThread(content = "Why is this here?") {
  return clients.author.api.qna.create.mutate({
    lessonId,
    ref: { ownerId: ids.owner, path: "main.py", lines: { start: 3, end: 5 } },
    acl: [ids.inAcl],
    content,
  });
}

/** Waits until everyone in the lesson has seen a thread shared with all of them: earlier events have arrived too. */
async function settleInboxes() {
  const sentinel = await clients.owner.api.qna.create.mutate({
    lessonId,
    ref: { ownerId: ids.owner, path: "notes/a.md", lines: { start: 1, end: 1 } },
    acl: roles.map((role) => ids[role]),
    content: "sentinel",
  });
  await waitFor(() => roles.every((role) => inboxes[role].about(sentinel.id).length > 0), { what: "sentinel everywhere" });
}

const canSee = (role: Role) => role === "author" || role === "owner" || role === "inAcl";

describe("qna.create", () => {
  it("returns the thread with its first comment; owner and author are always in the acl", async () => {
    const thread = await newThread("Is `range(3, 5)` **inclusive**?");
    expectTypeOf(thread).toEqualTypeOf<QnaThread>();
    expect(thread).toMatchObject({
      lessonId,
      ref: { ownerId: ids.owner, path: "main.py", lines: { start: 3, end: 5 }, outdated: false, excerpt: "line 3\nline 4\nline 5" },
      author: { id: ids.author, nickname: course.students[1]!.nickname },
      resolved: false,
      acl: [ids.owner, ids.author, ids.inAcl].sort((a, b) => a - b),
    });
    expect(thread.comments).toHaveLength(1);
    // Markdown is stored and returned as written, never rendered.
    expect(thread.comments[0]).toMatchObject({ author: { id: ids.author }, content: "Is `range(3, 5)` **inclusive**?", deleted: false });
    expect(new Date(thread.createdAt).toISOString()).toBe(thread.createdAt);
  });

  it("needs READ on the project", async () => {
    const error = await rejection(
      clients.outsideAcl.api.qna.create.mutate({ lessonId, ref: { ownerId: ids.owner, path: "main.py", lines: { start: 1, end: 1 } }, acl: [], content: "hi" }),
    );
    expect(error).toMatchObject({ code: "FORBIDDEN", appCode: "NO_READ_PERMISSION" });
    // The teacher may read every student project.
    const byTeacher = await clients.teacher.api.qna.create.mutate({ lessonId, ref: { ownerId: ids.owner, path: "main.py", lines: { start: 1, end: 2 } }, content: "Feedback" });
    expect(byTeacher.acl).toEqual([ids.teacher, ids.owner].sort((a, b) => a - b));
  });

  it("refuses acl members outside the lesson's course", async () => {
    const error = await rejection(
      clients.author.api.qna.create.mutate({
        lessonId,
        ref: { ownerId: ids.owner, path: "main.py", lines: { start: 1, end: 1 } },
        acl: [ids.inAcl, other.students[0]!.participantId],
        content: "hi",
      }),
    );
    expect(error).toMatchObject({ code: "NOT_FOUND", appCode: "PARTICIPANT_NOT_FOUND" });
  });
});

describe("visibility matrix", () => {
  it.each(roles)("qna.list as %s shows the thread only to acl members", async (role) => {
    const thread = await newThread();
    const all = await clients[role].api.qna.list.query({ lessonId });
    const ofFile = await clients[role].api.qna.list.query({ lessonId, ownerId: ids.owner, path: "main.py" });
    const ofProject = await clients[role].api.qna.list.query({ lessonId, ownerId: ids.owner });
    for (const list of [all, ofFile, ofProject]) expect(list.some((t) => t.id === thread.id)).toBe(canSee(role));
    if (canSee(role)) expect(ofFile.find((t) => t.id === thread.id)).toEqual(thread);
  });

  it.each(roles)("qna.comment as %s is allowed only to acl members", async (role) => {
    const thread = await newThread();
    const call = clients[role].api.qna.comment.mutate({ lessonId, threadId: thread.id, content: `from ${role}` });
    if (canSee(role)) {
      const comment = await call;
      expectTypeOf(comment).toEqualTypeOf<QnaComment>();
      expect(comment).toMatchObject({ threadId: thread.id, author: { id: ids[role] }, content: `from ${role}`, deleted: false });
    } else {
      expect(await rejection(call)).toMatchObject({ code: "FORBIDDEN", appCode: "NOT_IN_ACL" });
    }
  });

  it.each(roles)("qna.update as %s is allowed only to the author", async (role) => {
    const thread = await newThread();
    const call = clients[role].api.qna.update.mutate({ lessonId, threadId: thread.id, resolved: true });
    if (role === "author") expect((await call).resolved).toBe(true);
    else expect(await rejection(call)).toMatchObject({ code: "FORBIDDEN", appCode: canSee(role) ? "NOT_AUTHOR" : "NOT_IN_ACL" });
    const [seen] = await clients.owner.api.qna.list.query({ lessonId, ownerId: ids.owner, path: "main.py" }).then((l) => l.filter((t) => t.id === thread.id));
    expect(seen!.resolved).toBe(role === "author");
  });

  it.each(roles)("qna.editComment as %s is allowed only to the comment's author", async (role) => {
    const thread = await newThread();
    const comment = await clients.inAcl.api.qna.comment.mutate({ lessonId, threadId: thread.id, content: "mine" });
    const asAuthor = role === "inAcl";
    const edit = () => clients[role].api.qna.editComment.mutate({ lessonId, commentId: comment.id, content: "changed" });
    const remove = () => clients[role].api.qna.editComment.mutate({ lessonId, commentId: comment.id, delete: true });
    if (asAuthor) {
      expect(await edit()).toMatchObject({ id: comment.id, content: "changed", deleted: false });
      expect(await remove()).toMatchObject({ id: comment.id, content: "", deleted: true });
    } else {
      const expected = { code: "FORBIDDEN", appCode: canSee(role) ? "NOT_AUTHOR" : "NOT_IN_ACL" };
      expect(await rejection(edit())).toMatchObject(expected);
      expect(await rejection(remove())).toMatchObject(expected);
      const [seen] = (await clients.inAcl.api.qna.list.query({ lessonId, ownerId: ids.owner, path: "main.py" })).filter((t) => t.id === thread.id);
      expect(seen!.comments.at(-1)).toMatchObject({ content: "mine", deleted: false });
    }
  });

  it("inbox.watch delivers every create, update, comment, edit and delete to acl members only", async () => {
    const thread = await newThread("question");
    const comment = await clients.owner.api.qna.comment.mutate({ lessonId, threadId: thread.id, content: "answer" });
    await clients.owner.api.qna.editComment.mutate({ lessonId, commentId: comment.id, content: "better answer" });
    await clients.author.api.qna.update.mutate({ lessonId, threadId: thread.id, resolved: true });
    await clients.owner.api.qna.editComment.mutate({ lessonId, commentId: comment.id, delete: true });
    await settleInboxes();
    for (const role of roles) {
      const seen = inboxes[role].about(thread.id).map((e) => `${e.type}:${e.action}`);
      if (!canSee(role)) {
        expect(seen, role).toEqual([]);
        continue;
      }
      expect(seen, role).toEqual(["qna.thread:created", "qna.comment:created", "qna.comment:updated", "qna.thread:updated", "qna.comment:deleted"]);
      const events = inboxes[role].about(thread.id);
      expect(events[0]).toMatchObject({ thread: { id: thread.id, acl: thread.acl, ref: thread.ref }, comment: { content: "question" }, actor: { id: ids.author } });
      expect(events[2]).toMatchObject({ comment: { id: comment.id, content: "better answer" } });
      expect(events[3]).toMatchObject({ thread: { resolved: true } });
      expect(events[4]).toMatchObject({ comment: { id: comment.id, content: "", deleted: true } });
    }
  });
});

describe("changing the acl", () => {
  it("adding the teacher shows the thread to them; removing a student hides it and stops delivery", async () => {
    const thread = await newThread();
    const updated = await clients.author.api.qna.update.mutate({ lessonId, threadId: thread.id, acl: [ids.teacher] });
    // S3 is out; owner and author stay whatever the list says.
    expect(updated.acl).toEqual([ids.owner, ids.author, ids.teacher].sort((a, b) => a - b));
    expect((await clients.teacher.api.qna.list.query({ lessonId })).some((t) => t.id === thread.id)).toBe(true);
    expect((await clients.inAcl.api.qna.list.query({ lessonId })).some((t) => t.id === thread.id)).toBe(false);
    expect(await rejection(clients.inAcl.api.qna.comment.mutate({ lessonId, threadId: thread.id, content: "still here?" }))).toMatchObject({ appCode: "NOT_IN_ACL" });
    const teacherComment = await clients.teacher.api.qna.comment.mutate({ lessonId, threadId: thread.id, content: "teacher here" });
    await settleInboxes();
    const s3 = inboxes.inAcl.about(thread.id).map((e) => `${e.type}:${e.action}`);
    // S3 heard of the thread while in the list, then only that it was removed, without content.
    expect(s3).toEqual(["qna.thread:created", "qna.thread:removed"]);
    expect(inboxes.inAcl.about(thread.id)[1]).not.toHaveProperty("thread");
    expect(inboxes.teacher.about(thread.id).map((e) => `${e.type}:${e.action}`)).toEqual(["qna.thread:updated", "qna.comment:created"]);
    expect(inboxes.teacher.about(thread.id)[1]).toMatchObject({ comment: { id: teacherComment.id } });
  });

  it("refuses to let the owner or others remove the author (only the author changes the acl)", async () => {
    const thread = await newThread();
    expect(await rejection(clients.owner.api.qna.update.mutate({ lessonId, threadId: thread.id, acl: [] }))).toMatchObject({ appCode: "NOT_AUTHOR" });
  });
});

describe("soft delete", () => {
  it("shows a deleted comment as deleted to everyone, without its content", async () => {
    const thread = await newThread();
    const comment = await clients.owner.api.qna.comment.mutate({ lessonId, threadId: thread.id, content: "secret answer" });
    await clients.owner.api.qna.editComment.mutate({ lessonId, commentId: comment.id, delete: true });
    for (const role of ["author", "owner", "inAcl"] as const) {
      const [seen] = (await clients[role].api.qna.list.query({ lessonId, ownerId: ids.owner, path: "main.py" })).filter((t) => t.id === thread.id);
      expect(seen!.comments.map((c) => ({ id: c.id, deleted: c.deleted, content: c.content }))).toEqual([
        { id: thread.comments[0]!.id, deleted: false, content: "Why is this here?" },
        { id: comment.id, deleted: true, content: "" },
      ]);
      expect(JSON.stringify(seen)).not.toContain("secret answer");
    }
    // Erased from the database too, not only hidden.
    const row = await (await testDb()).qnaComment.findUniqueOrThrow({ where: { id: comment.id } });
    expect(row).toMatchObject({ deleted: true, content: "" });
    // Deleting again is harmless; editing a deleted comment is refused.
    expect(await clients.owner.api.qna.editComment.mutate({ lessonId, commentId: comment.id, delete: true })).toMatchObject({ deleted: true });
    expect(await rejection(clients.owner.api.qna.editComment.mutate({ lessonId, commentId: comment.id, content: "back" }))).toMatchObject({
      code: "NOT_FOUND",
      appCode: "COMMENT_NOT_FOUND",
    });
  });
});

describe("bad input", () => {
  const ref = (lines: { start: number; end: number }, path = "main.py") => ({ ownerId: 0, path, lines });

  it.each([
    ["empty content", { content: "" }],
    ["whitespace-only content", { content: " \n\t " }],
    ["oversized content", { content: "x".repeat(10_001) }],
    ["content with NUL", { content: "a\u0000b" }],
  ])("refuses %s", async (_name, patch) => {
    const thread = await newThread();
    const base = { lessonId, ref: { ...ref({ start: 1, end: 1 }), ownerId: ids.owner }, content: "ok" };
    expect(await rejection(clients.author.api.qna.create.mutate({ ...base, ...patch }))).toMatchObject({ code: "BAD_REQUEST", appCode: "INVALID_INPUT" });
    expect(await rejection(clients.author.api.qna.comment.mutate({ lessonId, threadId: thread.id, ...patch }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await rejection(clients.author.api.qna.editComment.mutate({ lessonId, commentId: thread.comments[0]!.id, ...patch }))).toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("accepts content of exactly the limit", async () => {
    const thread = await newThread("y".repeat(10_000));
    expect(thread.comments[0]!.content).toHaveLength(10_000);
  });

  it.each([
    ["lines out of order", { start: 5, end: 3 }, "main.py", "INVALID_RANGE"],
    ["lines past the end of the file", { start: 20, end: 22 }, "main.py", "INVALID_RANGE"],
    ["a line past the end", { start: 22, end: 22 }, "main.py", "INVALID_RANGE"],
    ["line 0", { start: 0, end: 1 }, "main.py", "INVALID_INPUT"],
    ["a missing file", { start: 1, end: 1 }, "nope.py", "INVALID_REF"],
    ["a directory", { start: 1, end: 1 }, "notes", "INVALID_REF"],
    ["a bad path", { start: 1, end: 1 }, "../etc/passwd", "INVALID_PATH"],
  ])("refuses %s", async (_name, lines, path, appCode) => {
    const error = await rejection(clients.author.api.qna.create.mutate({ lessonId, ref: { ownerId: ids.owner, path, lines }, content: "?" }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", appCode });
  });

  it("refuses lines of a binary file", async () => {
    await clients.owner.api.files.create.mutate({ lessonId, ownerId: ids.owner, path: "logo.png", type: "file", content: Buffer.from([0x89, 0x50, 0xff, 0xfe, 0]).toString("base64"), encoding: "base64" });
    const error = await rejection(clients.owner.api.qna.create.mutate({ lessonId, ref: { ownerId: ids.owner, path: "logo.png", lines: { start: 1, end: 1 } }, content: "?" }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", appCode: "INVALID_REF" });
  });

  it("accepts the last line, even when empty", async () => {
    // numberedLines(20) ends with a newline: line 21 is the empty last line.
    const thread = await clients.author.api.qna.create.mutate({ lessonId, ref: { ownerId: ids.owner, path: "main.py", lines: { start: 20, end: 21 } }, content: "end" });
    expect(thread.ref).toMatchObject({ lines: { start: 20, end: 21 }, excerpt: "line 20\n" });
  });

  it.each([
    ["update without a change", () => clients.author.api.qna.update.mutate({ lessonId, threadId: 1 })],
    ["editComment with both content and delete", () => clients.author.api.qna.editComment.mutate({ lessonId, commentId: 1, content: "a", delete: true })],
    ["editComment with neither", () => clients.author.api.qna.editComment.mutate({ lessonId, commentId: 1 })],
    ["list with a path but no owner", () => clients.author.api.qna.list.query({ lessonId, path: "main.py" })],
  ])("refuses %s", async (_name, call) => {
    expect(await rejection(call())).toMatchObject({ code: "BAD_REQUEST", appCode: "INVALID_INPUT" });
  });
});

describe("other lessons and courses", () => {
  it("refuses threads and comments of another lesson as not found, even to their members", async () => {
    const foreign = await otherClient.api.qna.create.mutate({ lessonId: other.lessonId, ref: { ownerId: otherOwnerId, path: "x.py", lines: { start: 1, end: 1 } }, content: "other" });
    const notFound = { code: "NOT_FOUND", appCode: "THREAD_NOT_FOUND" };
    expect(await rejection(clients.author.api.qna.comment.mutate({ lessonId, threadId: foreign.id, content: "hi" }))).toMatchObject(notFound);
    expect(await rejection(clients.author.api.qna.update.mutate({ lessonId, threadId: foreign.id, resolved: true }))).toMatchObject(notFound);
    expect(await rejection(clients.author.api.qna.editComment.mutate({ lessonId, commentId: foreign.comments[0]!.id, content: "x" }))).toMatchObject({
      code: "NOT_FOUND",
      appCode: "COMMENT_NOT_FOUND",
    });
    // Its own author, naming the wrong lesson, gets the same answer (lesson ids are checked, not only membership).
    const db = await testDb();
    const secondLesson = await db.lesson.create({ data: { courseId: other.courseId, name: "second" } });
    expect(await rejection(otherClient.api.qna.comment.mutate({ lessonId: secondLesson.id, threadId: foreign.id, content: "hi" }))).toMatchObject(notFound);
    expect(await rejection(clients.author.api.qna.comment.mutate({ lessonId, threadId: 2_000_000_000, content: "hi" }))).toMatchObject(notFound);
    expect(await rejection(clients.author.api.qna.editComment.mutate({ lessonId, commentId: 2_000_000_000, delete: true }))).toMatchObject({ appCode: "COMMENT_NOT_FOUND" });
    expect((await clients.owner.api.qna.list.query({ lessonId })).some((t) => t.id === foreign.id)).toBe(false);
  });

  it("refuses owners of another course", async () => {
    expect(await rejection(clients.author.api.qna.list.query({ lessonId, ownerId: otherOwnerId }))).toMatchObject({ code: "NOT_FOUND", appCode: "PARTICIPANT_NOT_FOUND" });
    const error = await rejection(clients.author.api.qna.create.mutate({ lessonId, ref: { ownerId: otherOwnerId, path: "x.py", lines: { start: 1, end: 1 } }, content: "?" }));
    expect(error).toMatchObject({ code: "NOT_FOUND", appCode: "PARTICIPANT_NOT_FOUND" });
  });

  it("refuses non-members of the course everything", async () => {
    const thread = await newThread();
    const notMember = { code: "FORBIDDEN", appCode: "NOT_A_MEMBER" };
    expect(await rejection(outsider.api.qna.list.query({ lessonId }))).toMatchObject(notMember);
    expect(await rejection(outsider.api.qna.create.mutate({ lessonId, ref: { ownerId: ids.owner, path: "main.py", lines: { start: 1, end: 1 } }, content: "?" }))).toMatchObject(
      notMember,
    );
    expect(await rejection(outsider.api.qna.comment.mutate({ lessonId, threadId: thread.id, content: "?" }))).toMatchObject(notMember);
    expect(await rejection(outsider.api.qna.update.mutate({ lessonId, threadId: thread.id, resolved: true }))).toMatchObject(notMember);
    expect(await rejection(outsider.api.qna.editComment.mutate({ lessonId, commentId: thread.comments[0]!.id, delete: true }))).toMatchObject(notMember);
    expect(await rejection(outsider.api.qna.list.query({ lessonId: 2_000_000_000 }))).toMatchObject({ code: "NOT_FOUND", appCode: "LESSON_NOT_FOUND" });
  });
});
