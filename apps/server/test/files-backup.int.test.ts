import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackupWorker, readTemplateZip, writeProjectZip } from "@cohort/storage";
import { closeAllClients, connectAdmin, connectUser, startTestApp, tokenFor, type StartedApp } from "./support/test-app.js";
import { classroom, refusal, type Classroom } from "./support/classroom.js";
import { testDb } from "./support/test-db.js";
import { waitFor } from "./support/wait-for.js";

let server: StartedApp;
let room: Classroom;
const TEMPLATE = "templates/backup-test.zip";
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0x00, 0x7f]);

beforeAll(async () => {
  server = await startTestApp();
  const zip = await writeProjectZip([
    { path: "src", type: "directory" },
    { path: "src/main.py", type: "file", content: Buffer.from("print('hi')\n") },
    { path: "docs/ünïcødé.md", type: "file", content: Buffer.from("# ✓\n") },
    { path: "docs", type: "directory" },
    { path: "img/logo.png", type: "file", content: PNG },
    { path: "img", type: "directory" },
    { path: "empty", type: "directory" },
  ]);
  await server.app.blobs.put(TEMPLATE, zip);
  room = await classroom(server.wsUrl, { students: 6, tag: "backup", templateKey: TEMPLATE });
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

async function snapshot(client: Classroom["teacher"]["client"], ref: { lessonId: number; ownerId: number }) {
  const { entries } = await client.api.files.list.query(ref);
  const files: Record<string, string> = {};
  for (const e of entries.filter((x) => x.type === "file")) {
    const read = await client.api.files.read.query({ ...ref, path: e.path });
    files[e.path] = read.encoding === "base64" ? `b64:${read.content}` : read.content;
  }
  return { tree: entries.map((e) => `${e.type}:${e.path}`), files };
}

describe("templates, backups and restores through the API", () => {
  it("applied the template once to every student who joined at once", async () => {
    for (const s of room.students) {
      const { entries } = await s.client.api.files.list.query({ lessonId: room.lessonId, ownerId: s.participantId });
      expect(entries.map((e) => e.path)).toEqual(["docs", "docs/ünïcødé.md", "empty", "img", "img/logo.png", "src", "src/main.py"]);
    }
  });

  it("edits → backup → evict → restore gives byte-identical files and the same tree", async () => {
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId };
    await owner.client.api.files.write.mutate({ ...ref, path: "src/main.py", content: "print('edited')\n" });
    await owner.client.api.files.create.mutate({ ...ref, path: "data/raw.bin", type: "file", content: Buffer.from([0, 1, 2, 253, 254, 255]).toString("base64"), encoding: "base64" });
    const before = await snapshot(owner.client, ref);
    const admin = connectAdmin(server.wsUrl);
    const backup = await admin.api.project.backup.mutate(ref);
    expect(backup.size).toBeGreaterThan(0);
    expect(await server.app.files.backupAndEvictIfIdle(ref, { idleMs: 0 })).toMatchObject({ status: "evicted" });
    expect(await server.app.files.store.isLoaded(ref)).toBe(false);
    // Any read restores it, transparently.
    expect(await snapshot(owner.client, ref)).toEqual(before);
  });

  it("the backup worker, on one instance at a time, backs up and evicts the idle projects it finds; the next read restores each", async () => {
    const { files, redis } = server.app;
    const rows = await (await testDb()).project.findMany({ where: { lessonId: room.lessonId }, select: { lessonId: true, ownerId: true } });
    const loaded = (await Promise.all(rows.map(async (ref) => ((await files.store.isLoaded(ref)) ? [ref] : [])))).flat();
    expect(loaded.length).toBeGreaterThanOrEqual(room.students.length);
    const before = await Promise.all(loaded.map((ref) => snapshot(room.teacher.client, ref)));
    // The candidates the worker finds by default (SCAN, on every master of a cluster), kept to
    // this lesson: the run's other files share the key prefix and their projects must stay.
    const thisLesson = async () => (await files.store.listLoaded()).filter((ref) => ref.lessonId === room.lessonId);
    const workers = [1, 2].map(() => new BackupWorker({ redis, files, idleMs: 0, activeBackupMs: 0, listCandidates: thisLesson }));
    // Both at once: the lock lets one run. (Another file's worker may hold it for a moment.)
    const reports = await waitFor(
      async () => {
        const attempt = await Promise.all(workers.map((w) => w.runOnce()));
        return attempt.some((r) => r.ran) ? attempt : undefined;
      },
      { timeoutMs: 30_000, what: "a worker to get the lock" },
    );
    expect(reports.filter((r) => r.ran)).toHaveLength(1);
    expect(reports.find((r) => r.ran)).toMatchObject({ evicted: loaded.length, failed: 0 });
    for (const ref of loaded) expect(await files.store.isLoaded(ref), `project of ${ref.ownerId} still loaded`).toBe(false);
    expect(await Promise.all(loaded.map((ref) => snapshot(room.teacher.client, ref)))).toEqual(before);
  });

  it("serves the zip to the owner and teachers only", async () => {
    const owner = room.students[1]!;
    const other = room.students[2]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId };
    await owner.client.api.project.setPermissions.mutate({ lessonId: room.lessonId, grants: [{ viewerId: other.participantId, permission: 7 }] });
    const get = async (userId: number | null) =>
      fetch(`${server.url}/projects/${ref.lessonId}/${ref.ownerId}.zip`, userId ? { headers: { authorization: `Bearer ${await tokenFor(userId)}` } } : {});
    const mine = await get(owner.userId);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-type")).toBe("application/zip");
    const entries = await readTemplateZip(Buffer.from(await mine.arrayBuffer()), {});
    expect(entries.find((e) => e.path === "img/logo.png")?.content).toEqual(PNG);
    expect(entries.some((e) => e.path === "empty" && e.type === "directory")).toBe(true);
    expect((await get(room.teacher.userId)).status).toBe(200);
    expect((await get(other.userId)).status).toBe(403); // granted 7, but not a teacher
    expect((await get(null)).status).toBe(401);
    expect((await fetch(`${server.url}/projects/1/x.zip`)).status).toBe(404);
  });

  it("project.backup is for admins only", async () => {
    const student = room.students[3]!;
    const error = await refusal(student.client.api.project.backup.mutate({ lessonId: room.lessonId, ownerId: student.participantId }));
    expect(error).toMatchObject({ code: "FORBIDDEN", appCode: "NOT_ADMIN" });
  });

  it("concurrent first joins of one user from many tabs create one project and apply the template once", async () => {
    const s = room.course.students[5]!;
    const tabs = await Promise.all(Array.from({ length: 6 }, () => connectUser(server.wsUrl, s.userId)));
    // Every tab is answered (none sees the losing side of the race) with the same project.
    const joined = await Promise.all(tabs.map((t) => t.api.lesson.join.mutate({ lessonId: room.lessonId })));
    expect(new Set(joined.map((j) => j.project.id)).size).toBe(1);
    // The template's tree exactly once: a second apply would have replaced it (new mtimes) or
    // failed on existing paths.
    const ref = { lessonId: room.lessonId, ownerId: s.participantId };
    const first = await tabs[0]!.api.files.list.query(ref);
    expect(first.entries.map((e) => `${e.type}:${e.path}`)).toEqual([
      "directory:docs",
      "file:docs/ünïcødé.md",
      "directory:empty",
      "directory:img",
      "file:img/logo.png",
      "directory:src",
      "file:src/main.py",
    ]);
    expect(first.totalSize).toBe(Buffer.byteLength("print('hi')\n") + Buffer.byteLength("# ✓\n") + PNG.length);
    expect(await tabs[5]!.api.files.list.query(ref)).toEqual(first);
  });
});
