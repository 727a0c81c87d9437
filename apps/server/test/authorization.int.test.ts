import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import { appRouter } from "@cohort/api";
import type { CohortClient } from "@cohort/sdk";
import { closeAllClients, connectAdmin, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";

/**
 * One table of every procedure × every role, allow or deny per API.md (Permissions, and who may
 * call admin and tester procedures). The owner is a student; "gN" are students granted N on the
 * owner's project.
 */
type Role = "admin" | "teacher" | "otherTeacher" | "owner" | "g0" | "g4" | "g6" | "g7" | "student" | "outsider";
const ROLES: Role[] = ["admin", "teacher", "otherTeacher", "owner", "g0", "g4", "g6", "g7", "student", "outsider"];

const READERS: Role[] = ["teacher", "owner", "g4", "g6", "g7"];
const WRITERS: Role[] = ["teacher", "owner", "g6", "g7"];
const MEMBERS: Role[] = ["teacher", "owner", "g0", "g4", "g6", "g7", "student"];

let server: StartedApp;
let course: SeededCourse;
let other: SeededCourse;
const clients = new Map<Role, CohortClient>();
const ctx = { lessonId: 0, ownerId: 0, threadId: 0, commentId: 0, testId: 0 };

beforeAll(async () => {
  server = await startTestApp();
  const db = await testDb();
  course = await seedCourse(db, { students: 7, tag: "authz" });
  other = await seedCourse(db, { students: 1, tag: "authz-other" });
  const [owner, g0, g4, g6, g7, student] = course.students as [SeededCourse["students"][0], ...SeededCourse["students"]];
  const people: [Role, number][] = [
    ["teacher", course.teacher.userId],
    ["otherTeacher", other.teacher.userId],
    ["owner", owner.userId],
    ["g0", g0!.userId],
    ["g4", g4!.userId],
    ["g6", g6!.userId],
    ["g7", g7!.userId],
    ["student", student!.userId],
    ["outsider", other.students[0]!.userId],
  ];
  for (const [role, userId] of people) clients.set(role, await connectUser(server.wsUrl, userId));
  clients.set("admin", connectAdmin(server.wsUrl));
  ctx.lessonId = course.lessonId;
  ctx.ownerId = owner.participantId;
  for (const role of MEMBERS) await clients.get(role)!.api.lesson.join.mutate({ lessonId: ctx.lessonId });
  const ownerApi = clients.get("owner")!.api;
  await ownerApi.project.setPermissions.mutate({
    lessonId: ctx.lessonId,
    grants: [
      { viewerId: g0!.participantId, permission: 0 },
      { viewerId: g4!.participantId, permission: 4 },
      { viewerId: g6!.participantId, permission: 6 },
      { viewerId: g7!.participantId, permission: 7 },
    ],
  });
  await ownerApi.files.create.mutate({ lessonId: ctx.lessonId, ownerId: ctx.ownerId, path: "main.py", type: "file", content: "a = 1\nb = 2\n" });
  const thread = await ownerApi.qna.create.mutate({
    lessonId: ctx.lessonId,
    ref: { ownerId: ctx.ownerId, path: "main.py", lines: { start: 1, end: 1 } },
    acl: [course.teacher.participantId],
    content: "Why is a 1?",
  });
  ctx.threadId = thread.id;
  ctx.commentId = thread.comments[0]!.id;
  const test = await clients.get("admin")!.api.loadtest.create.mutate({
    lessonId: ctx.lessonId,
    serverUrl: server.wsUrl,
    clients: 1,
    launcher: "local",
    scenario: { ratePerClient: 1 },
    durationSec: 5,
  } as never);
  ctx.testId = (test as { id: number }).id;
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

type Call = (api: CohortClient["api"], role: Role) => Promise<unknown>;
const file = (role: Role) => ({ lessonId: ctx.lessonId, ownerId: ctx.ownerId, path: `by-${role}.txt` });

/**
 * Resolves when the subscription yields, or stays up for a moment without error; rejects with its
 * error if it is refused. (tRPC reports "started" before the procedure's checks run, so starting
 * alone proves nothing.)
 */
function subscribed(subscribe: (handlers: { onStarted: () => void; onData: () => void; onError: (e: unknown) => void }) => { unsubscribe(): void }) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      setTimeout(() => sub.unsubscribe(), 0);
      fn();
    };
    const sub = subscribe({
      onStarted: () => setTimeout(() => done(() => resolve(true)), 400),
      onData: () => done(() => resolve(true)),
      onError: (e) => done(() => reject(e)),
    });
  });
}

const table: [string, Role[], Call][] = [
  ["session.me", ROLES, (api) => api.session.me.query()],
  ["session.timeSync", ROLES, (api) => api.session.timeSync.mutate({ t0: Date.now() })],
  ["lesson.join", MEMBERS, (api) => api.lesson.join.mutate({ lessonId: ctx.lessonId })],
  ["lesson.participants", [...MEMBERS, "admin"], (api) => api.lesson.participants.query({ lessonId: ctx.lessonId })],
  ["lesson.presence", [...MEMBERS, "admin"], (api) => subscribed((h) => api.lesson.presence.subscribe({ lessonId: ctx.lessonId }, h))],
  ["lesson.list", ["admin"], (api) => api.lesson.list.query()],
  ["project.access", MEMBERS, (api) => api.project.access.query({ lessonId: ctx.lessonId })],
  ["project.setPermissions", MEMBERS, (api, role) => api.project.setPermissions.mutate({ lessonId: ctx.lessonId, grants: [{ viewerId: role === "teacher" ? course.students[6]!.participantId : course.teacher.participantId, permission: role === "teacher" ? 4 : 7 }] })],
  ["project.watch", READERS, (api) => subscribed((h) => api.project.watch.subscribe({ lessonId: ctx.lessonId, ownerId: ctx.ownerId }, h))],
  ["project.ping", READERS, (api) => api.project.ping.mutate({ lessonId: ctx.lessonId, ownerId: ctx.ownerId })],
  ["project.backup", ["admin"], (api) => api.project.backup.mutate({ lessonId: ctx.lessonId, ownerId: ctx.ownerId })],
  ["files.list", READERS, (api) => api.files.list.query({ lessonId: ctx.lessonId, ownerId: ctx.ownerId })],
  ["files.read", READERS, (api) => api.files.read.query({ lessonId: ctx.lessonId, ownerId: ctx.ownerId, path: "main.py" })],
  ["files.readMany", READERS, (api) => api.files.readMany.query({ lessonId: ctx.lessonId, ownerId: ctx.ownerId })],
  ["files.create", WRITERS, (api, role) => api.files.create.mutate({ ...file(role), type: "file", content: "x" })],
  ["files.write", WRITERS, (api, role) => api.files.write.mutate({ ...file(role), content: "y" })],
  ["files.rename", WRITERS, (api, role) => api.files.rename.mutate({ ...file(role), newPath: `renamed-${role}.txt` })],
  ["files.delete", WRITERS, (api, role) => api.files.delete.mutate({ ...file(role), path: `renamed-${role}.txt` })],
  ["edits.sync", READERS, (api) => api.edits.sync.mutate({ lessonId: ctx.lessonId, ownerId: ctx.ownerId, path: "main.py" })],
  [
    "edits.push",
    WRITERS,
    async (api) => {
      const Y = await import("yjs");
      const doc = new Y.Doc();
      const { update } = await api.edits.sync.mutate({ lessonId: ctx.lessonId, ownerId: ctx.ownerId, path: "main.py" }).catch(() => ({ update: "" }));
      if (update) Y.applyUpdate(doc, Buffer.from(update, "base64"));
      const sv = Y.encodeStateVector(doc);
      doc.getText("content").insert(0, "#");
      return api.edits.push.mutate({ lessonId: ctx.lessonId, ownerId: ctx.ownerId, path: "main.py", update: Buffer.from(Y.encodeStateAsUpdate(doc, sv)).toString("base64") });
    },
  ],
  ["cursor.move", READERS, (api) => api.cursor.move.mutate({ lessonId: ctx.lessonId, ownerId: ctx.ownerId, path: "main.py", position: { line: 1, column: 1 } })],
  ["cursor.last", READERS, (api) => api.cursor.last.query({ lessonId: ctx.lessonId, ownerId: ctx.ownerId, path: "main.py" })],
  ["inbox.watch", MEMBERS, (api) => subscribed((h) => api.inbox.watch.subscribe({ lessonId: ctx.lessonId }, h))],
  ["qna.list", MEMBERS, (api) => api.qna.list.query({ lessonId: ctx.lessonId })],
  ["qna.create", READERS, (api) => api.qna.create.mutate({ lessonId: ctx.lessonId, ref: { ownerId: ctx.ownerId, path: "main.py", lines: { start: 1, end: 2 } }, acl: [], content: "?" })],
  ["qna.update", ["owner"], (api) => api.qna.update.mutate({ lessonId: ctx.lessonId, threadId: ctx.threadId, resolved: false })],
  ["qna.comment", ["owner", "teacher"], (api) => api.qna.comment.mutate({ lessonId: ctx.lessonId, threadId: ctx.threadId, content: "an answer" })],
  ["qna.editComment", ["owner"], (api) => api.qna.editComment.mutate({ lessonId: ctx.lessonId, commentId: ctx.commentId, content: "Why is a one?" })],
  ["monitor.instances", ["admin"], (api) => api.monitor.instances.query()],
  ["monitor.watch", ["admin"], (api) => subscribed((h) => api.monitor.watch.subscribe({ lessonId: ctx.lessonId }, h))],
  ["loadtest.list", ["admin"], (api) => api.loadtest.list.query()],
  ["loadtest.get", ["admin"], (api) => api.loadtest.get.query({ testId: ctx.testId })],
  ["loadtest.results", ["admin"], (api) => api.loadtest.results.query({ testId: ctx.testId }).catch((e: unknown) => rethrowIfAccess(e))],
  ["loadtest.watch", ["admin"], (api) => subscribed((h) => api.loadtest.watch.subscribe({ testId: ctx.testId }, h))],
  ["loadtest.extend", ["admin"], (api) => api.loadtest.extend.mutate({ testId: ctx.testId, addSec: 5 }).catch((e: unknown) => rethrowIfAccess(e))],
  ["loadtest.stop", ["admin"], (api) => api.loadtest.stop.mutate({ testId: ctx.testId }).catch((e: unknown) => rethrowIfAccess(e))],
  ["tester.register", [], (api) => api.tester.register.mutate({ testId: ctx.testId, testerId: "t1" } as never)],
  ["tester.progress", [], (api) => api.tester.progress.mutate({ testId: ctx.testId, testerId: "t1" } as never)],
  ["tester.awaitStart", [], (api) => subscribed((h) => api.tester.awaitStart.subscribe({ testId: ctx.testId } as never, h))],
];

/** Past the access check, a call may still fail for reasons of state (a test not running): that is "allowed". */
function rethrowIfAccess(error: unknown): unknown {
  const code = (error as { data?: { code?: string } }).data?.code;
  if (code === "FORBIDDEN" || code === "UNAUTHORIZED") throw error;
  return "allowed";
}

describe("authorization: every procedure × every role", () => {
  it("covers every procedure of the router (loadtest.create/start/delete are exercised by the load-test tests)", () => {
    const routed = Object.keys((appRouter as unknown as { _def: { procedures: object } })._def.procedures);
    const covered = new Set([...table.map(([name]) => name), "loadtest.create", "loadtest.start", "loadtest.delete"]);
    expect(routed.filter((p) => !covered.has(p))).toEqual([]);
  });

  const cases = table.flatMap(([name, allowed, call]) => ROLES.map((role) => [name, role, allowed.includes(role), call] as const));
  it.each(cases)("%s as %s → allowed: %s", async (_name, role, allowed, call) => {
    const outcome = call(clients.get(role)!.api, role);
    if (allowed) {
      await expect(outcome).resolves.toBeDefined();
      return;
    }
    const error = await outcome.then(
      () => null,
      (e: unknown) => e as { data?: { code?: string } },
    );
    expect(error, "expected a refusal").not.toBeNull();
    // Denied callers learn nothing more than "no": forbidden, or not found for other courses' ids.
    expect(["FORBIDDEN", "NOT_FOUND", "UNAUTHORIZED"]).toContain(error!.data?.code);
  });

  it("refuses every query and mutation to anonymous HTTP callers", async () => {
    const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures);
    for (const [path, p] of procedures) {
      if (p._def.type === "subscription") continue;
      const res = p._def.type === "query" ? await fetch(`${server.url}/trpc/${path}`) : await fetch(`${server.url}/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(res.status, path).toBe(401);
    }
  });
});
