import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import type { CohortClient, LiveDocument } from "@cohort/sdk";
import type { QnaThread } from "@cohort/api/schemas";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { waitFor } from "./support/wait-for.js";
import { offsetOfLine, projectWithFiles, watchInbox } from "./support/qna-fixture.js";

let a: StartedApp;
let b: StartedApp;
let course: SeededCourse;
let lessonId: number;
let ownerId: number;
/** S1 owns the project; teacher and S1 on instance a, S2 and S3 (granted WRITE) on instance b. */
let owner: CohortClient;
let teacher: CohortClient;
let s2: CohortClient;
let s3: CohortClient;
let acl: number[];
const open: LiveDocument[] = [];

/** "row 01\nrow 02\n…": every line is unique, so tests can find lines by their text. */
const rows = (n: number) => Array.from({ length: n }, (_, i) => `row ${String(i + 1).padStart(2, "0")}`).join("\n") + "\n";
const lineOf = (text: string, content: string) => text.slice(0, text.indexOf(`${content}\n`)).split("\n").length;

beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp(), startTestApp()]);
  course = await seedCourse(await testDb(), { students: 3, tag: "qna-anchors" });
  lessonId = course.lessonId;
  const [p1, p2, p3] = course.students as [SeededCourse["students"][0], SeededCourse["students"][0], SeededCourse["students"][0]];
  owner = await connectUser(a.wsUrl, p1.userId);
  teacher = await connectUser(a.wsUrl, course.teacher.userId);
  s2 = await connectUser(b.wsUrl, p2.userId);
  s3 = await connectUser(b.wsUrl, p3.userId);
  ownerId = await projectWithFiles(owner, lessonId, {});
  await owner.api.project.setPermissions.mutate({ lessonId, grants: [{ viewerId: p2.participantId, permission: 6 }, { viewerId: p3.participantId, permission: 6 }] });
  acl = [p2.participantId, p3.participantId];
});
afterAll(async () => {
  for (const doc of open) doc.close();
  await closeAllClients();
  await Promise.all([a.close(), b.close()]);
});

let nextFile = 0;
/** A new file of 30 unique rows and a teacher's thread on rows 10-12. */
async function fileWithThread(dir = "src") {
  const path = `${dir}/file${++nextFile}.py`;
  await owner.api.files.create.mutate({ lessonId, ownerId, path, type: "file", content: rows(30) });
  const thread = await teacher.api.qna.create.mutate({ lessonId, ref: { ownerId, path, lines: { start: 10, end: 12 } }, acl, content: "Look at this" });
  expect(thread.ref).toMatchObject({ lines: { start: 10, end: 12 }, excerpt: "row 10\nrow 11\nrow 12", outdated: false });
  return { path, thread };
}

async function openFile(client: CohortClient, path: string) {
  const doc = await client.openFile({ lessonId, ownerId, path });
  open.push(doc);
  return doc;
}

async function refOf(client: CohortClient, thread: QnaThread, path = thread.ref.path) {
  const list = await client.api.qna.list.query({ lessonId, ownerId, path });
  const found = list.find((t) => t.id === thread.id);
  expect(found, `thread ${thread.id} listed at ${path}`).toBeDefined();
  return found!.ref;
}

describe("anchors follow edits", () => {
  it("shift by 3 when 3 lines are inserted above", async () => {
    const { path, thread } = await fileWithThread();
    const doc = await openFile(owner, path);
    doc.insert(0, "import os\nimport sys\n\n");
    await doc.flush();
    expect(await refOf(teacher, thread)).toEqual({ ownerId, path, lines: { start: 13, end: 15 }, outdated: false, excerpt: "row 10\nrow 11\nrow 12" });
    // Seen the same through the other instance.
    expect(await refOf(s2, thread)).toMatchObject({ lines: { start: 13, end: 15 } });
  });

  it("grow and shrink with edits inside the range", async () => {
    const { path, thread } = await fileWithThread();
    const doc = await openFile(owner, path);
    doc.insert(offsetOfLine(doc.toString(), 11), "    extra 1\n    extra 2\n");
    await doc.flush();
    expect(await refOf(teacher, thread)).toMatchObject({ lines: { start: 10, end: 14 }, excerpt: "row 10\n    extra 1\n    extra 2\nrow 11\nrow 12" });
    // Typing at the end of the last line stays inside; then two lines go.
    const text = doc.toString();
    doc.insert(offsetOfLine(text, 15) - 1, "  # done");
    const from = offsetOfLine(doc.toString(), 11);
    doc.delete(from, offsetOfLine(doc.toString(), 13) - from);
    await doc.flush();
    expect(await refOf(s3, thread)).toMatchObject({ lines: { start: 10, end: 12 }, excerpt: "row 10\nrow 11\nrow 12  # done", outdated: false });
  });

  it("become outdated when the whole range is deleted, keeping the last text", async () => {
    const { path, thread } = await fileWithThread();
    const doc = await openFile(owner, path);
    doc.insert(offsetOfLine(doc.toString(), 11), "changed\n");
    await doc.flush();
    expect(await refOf(teacher, thread)).toMatchObject({ lines: { start: 10, end: 13 }, excerpt: "row 10\nchanged\nrow 11\nrow 12" });
    const from = offsetOfLine(doc.toString(), 9);
    doc.delete(from, offsetOfLine(doc.toString(), 15) - from); // rows 09..13, a bigger selection
    doc.insert(from, "rewritten()\n");
    await doc.flush();
    const ref = await refOf(s2, thread);
    expect(ref).toEqual({ ownerId, path, lines: { start: 10, end: 13 }, outdated: true, excerpt: "row 10\nchanged\nrow 11\nrow 12" });
    const stored = await (await testDb()).codeRef.findFirstOrThrow({ where: { threads: { some: { id: thread.id } } } });
    expect(stored).toMatchObject({ outdated: true, excerpt: "row 10\nchanged\nrow 11\nrow 12" });
    // It stays outdated and stays listed, whatever is typed later.
    doc.insert(0, "row 10\nrow 11\nrow 12\n");
    await doc.flush();
    expect(await refOf(owner, thread)).toMatchObject({ outdated: true, lines: { start: 10, end: 13 } });
    expect(await owner.api.qna.comment.mutate({ lessonId, threadId: thread.id, content: "it was rewritten" })).toMatchObject({ deleted: false });
  });

  it("agree on the right range after concurrent edits by 4 clients on 2 instances", async () => {
    const { path, thread } = await fileWithThread();
    const editors = [owner, teacher, s2, s3];
    const docs = await Promise.all(editors.map((client) => openFile(client, path)));
    // Every client inserts whole lines above (before row 09), inside (before row 11 or 12) and
    // below (before row 20) the range, finding the places by their text in its own replica.
    const insertBefore = (doc: LiveDocument, row: string, line: string) => doc.insert(doc.toString().indexOf(`${row}\n`), `${line}\n`);
    for (let round = 0; round < 8; round++) {
      docs.forEach((doc, i) => {
        insertBefore(doc, round % 2 ? "row 03" : "row 09", `above ${i}.${round}`);
        insertBefore(doc, round % 2 ? "row 11" : "row 12", `inside ${i}.${round}`);
        insertBefore(doc, "row 20", `below ${i}.${round}`);
        if (round === 5 && i === 2) {
          // One client also deletes a line above the range and one inside it (its own, so it has it).
          const text = doc.toString();
          doc.delete(text.indexOf("row 05\n"), "row 05\n".length);
          doc.delete(doc.toString().indexOf("inside 2.0\n"), "inside 2.0\n".length);
        }
      });
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(docs.map((doc) => doc.flush()));
    await waitFor(() => docs.every((doc) => doc.toString() === docs[0]!.toString()), { what: "replicas converge", timeoutMs: 10_000 });
    const text = docs[0]!.toString();
    const lines = { start: lineOf(text, "row 10"), end: lineOf(text, "row 12") };
    const excerpt = text.split("\n").slice(lines.start - 1, lines.end).join("\n");
    // The range is rows 10-12 plus exactly the "inside" lines that survived, nothing else.
    const inside = text.split("\n").filter((line) => line.startsWith("inside"));
    expect(inside).toHaveLength(4 * 8 - 1);
    expect(excerpt.split("\n").sort()).toEqual(["row 10", "row 11", "row 12", ...inside].sort());
    expect(text).not.toContain("row 05\n");
    const refs = await Promise.all(editors.map((client) => refOf(client, thread)));
    for (const ref of refs) expect(ref).toEqual({ ownerId, path, lines, outdated: false, excerpt });
  });

  it("resolve the same on a fresh instance (restart), from the stored document", async () => {
    const { path, thread } = await fileWithThread();
    const doc = await openFile(s2, path);
    doc.insert(0, "one\ntwo\n");
    doc.insert(offsetOfLine(doc.toString(), 13), "three\n");
    await doc.flush();
    const fresh = await startTestApp();
    try {
      const client = await connectUser(fresh.wsUrl, course.teacher.userId);
      expect(await refOf(client, thread)).toMatchObject({ lines: { start: 12, end: 15 }, excerpt: "row 10\nthree\nrow 11\nrow 12" });
    } finally {
      await fresh.close();
    }
  });

  it("are anchored again by their text when the live document was dropped (project evicted)", async () => {
    const { path, thread } = await fileWithThread();
    const doc = await openFile(owner, path);
    doc.insert(0, "top\n");
    await doc.flush();
    expect(await refOf(teacher, thread)).toMatchObject({ lines: { start: 11, end: 13 } });
    doc.close();
    const project = { lessonId, ownerId };
    // Text written while no document exists (as after an eviction and restore) starts a new document.
    const stat = await a.app.deps.files.stat(project, path);
    await a.app.deps.docs.drop([{ tag: `{l:${lessonId}:p:${ownerId}}`, fileId: stat!.id }]);
    await a.app.deps.files.write(project, path, Buffer.from(`a\nb\n${rows(30)}`));
    expect(await refOf(teacher, thread)).toMatchObject({ lines: { start: 12, end: 14 }, outdated: false, excerpt: "row 10\nrow 11\nrow 12" });
    // The new anchor lives in the new document: it follows edits again.
    const again = await openFile(owner, path);
    again.insert(0, "c\n");
    await again.flush();
    expect(await refOf(s3, thread)).toMatchObject({ lines: { start: 13, end: 15 } });
  });
});

describe("anchors follow files", () => {
  it("move with a renamed directory and a renamed file, and keep following edits", async () => {
    const dir = `pkg${Date.now() % 100_000}`;
    const { path, thread } = await fileWithThread(dir);
    const inbox = watchInbox(teacher, lessonId);
    await waitFor(() => inbox.started, { what: "inbox" });
    await owner.api.files.rename.mutate({ lessonId, ownerId, path: dir, newPath: `lib/${dir}` });
    const moved = `lib/${path}`;
    expect(await refOf(teacher, thread, moved)).toMatchObject({ path: moved, lines: { start: 10, end: 12 }, outdated: false });
    expect((await teacher.api.qna.list.query({ lessonId, ownerId, path })).some((t) => t.id === thread.id)).toBe(false);
    await waitFor(() => inbox.about(thread.id).some((e) => e.type === "qna.thread" && e.action === "updated" && e.thread.ref.path === moved), { what: "rename announced" });
    await owner.api.files.rename.mutate({ lessonId, ownerId, path: moved, newPath: `lib/${dir}/main.py` });
    const doc = await openFile(s3, `lib/${dir}/main.py`);
    doc.insert(0, "# header\n");
    await doc.flush();
    expect(await refOf(owner, thread, `lib/${dir}/main.py`)).toMatchObject({ lines: { start: 11, end: 13 }, outdated: false });
    // A sibling whose name merely starts the same is not moved.
    const sibling = await fileWithThread(`${dir}x`);
    await owner.api.files.rename.mutate({ lessonId, ownerId, path: `lib/${dir}`, newPath: `lib2/${dir}` });
    expect(await refOf(owner, sibling.thread)).toMatchObject({ path: sibling.path });
    inbox.stop();
  });

  it("become outdated when the file is deleted, and the thread stays", async () => {
    const { path, thread } = await fileWithThread("gone");
    const doc = await openFile(owner, path);
    doc.insert(offsetOfLine(doc.toString(), 11), "new\n");
    await doc.flush();
    expect(await refOf(teacher, thread)).toMatchObject({ lines: { start: 10, end: 13 } });
    const inbox = watchInbox(s2, lessonId);
    await waitFor(() => inbox.started, { what: "inbox" });
    await owner.api.files.delete.mutate({ lessonId, ownerId, path: "gone" });
    const ref = await refOf(s2, thread);
    expect(ref).toEqual({ ownerId, path, lines: { start: 10, end: 13 }, outdated: true, excerpt: "row 10\nnew\nrow 11\nrow 12" });
    await waitFor(() => inbox.about(thread.id).some((e) => e.type === "qna.thread" && e.action === "updated" && e.thread.ref.outdated), { what: "delete announced" });
    // A new file at the same path does not bring the old thread back to life.
    await owner.api.files.create.mutate({ lessonId, ownerId, path, type: "file", content: rows(30) });
    expect(await refOf(teacher, thread)).toMatchObject({ outdated: true });
    expect((await (await testDb()).qnaThread.findUnique({ where: { id: thread.id } }))).not.toBeNull();
    inbox.stop();
  });
});
