import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { seedCourse, type SeededCourse } from "@cohort/db";
import { appRouter } from "@cohort/api";
import { appCodeOf, errorCodeOf, type CohortClient } from "@cohort/sdk";
import { readTemplateZip } from "@cohort/storage";
import { closeAllClients, connectAdmin, connectUser, startTestApp, TEST_ADMIN_KEY, tokenFor, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { fakeLauncher } from "./support/load-tests.js";

/**
 * One table of every procedure × every role, allow or deny per API.md (Permissions, and who may
 * call admin and tester procedures), and the HTTP routes beside them. The owner is a student; "gN"
 * are students granted N on the owner's project; "otherTeacher" and "outsider" belong to another
 * course; "anonymous" calls over HTTP without credentials.
 *
 * Every row acts on state that exists (files, threads, comments, tests made in setup, fresh per row
 * where the call would consume them), so a refusal can only come from the permission check: a
 * bypass would succeed and fail the row. In-course callers must get the exact appCode API.md gives.
 */
type Role = "admin" | "teacher" | "otherTeacher" | "owner" | "g0" | "g4" | "g6" | "g7" | "student" | "outsider" | "anonymous";
const ROLES: Role[] = ["admin", "teacher", "otherTeacher", "owner", "g0", "g4", "g6", "g7", "student", "outsider", "anonymous"];
const OUTSIDE_COURSE: Role[] = ["otherTeacher", "outsider"];

const SIGNED_IN: Role[] = ROLES.filter((r) => r !== "anonymous");
const READERS: Role[] = ["teacher", "owner", "g4", "g6", "g7"];
const WRITERS: Role[] = ["teacher", "owner", "g6", "g7"];
const MEMBERS: Role[] = ["teacher", "owner", "g0", "g4", "g6", "g7", "student"];

type Api = CohortClient["api"];
/** What a row's setup made for one role's call. */
interface Fixture {
  path: string;
  testId: number;
}
interface Row {
  name: string;
  /** Who may call it. Callers outside it are refused with the appCode that `kind` and `denied` give. */
  allowed: Role[];
  /**
   * user: a signed-in user's lesson-scoped call; admin / tester: for those principals only; route:
   * an HTTP route outside tRPC, called with each role's HTTP credentials.
   */
  kind: "user" | "admin" | "tester" | "any" | "route";
  /** The appCode an in-course user who is not allowed gets (API.md, Permissions). */
  denied?: (role: Role) => string;
  /** A route's refusal of a caller who is not allowed: its HTTP status and error code (docs/api.md). */
  refusal?: (role: Role) => { status: number; code: string };
  setup?: (role: Role) => Promise<Partial<Fixture>>;
  call: (api: Api, role: Role, fixture: Fixture) => Promise<unknown>;
  /** Asserts the effect of an allowed call, or that a refused one changed nothing. */
  check?: (allowed: boolean, role: Role, fixture: Fixture, result: unknown) => Promise<void>;
}

let server: StartedApp;
let course: SeededCourse;
let other: SeededCourse;
const clients = new Map<Role, Api>();
const userIds = new Map<Role, number>();
const ctx = { lessonId: 0, ownerId: 0, threadId: 0, commentId: 0, testId: 0 };
const owner = () => clients.get("owner")!;
const admin = () => clients.get("admin")!;
const onOwner = (path: string) => ({ lessonId: ctx.lessonId, ownerId: ctx.ownerId, path });

beforeAll(async () => {
  // The table is about permissions: the owner's connection sets up many rows back to back, which
  // the per-connection rate limit (tested in abuse.int.test.ts) would otherwise start refusing.
  server = await startTestApp({ LOADTEST_SUPERVISE_MS: "250", RATE_LIMIT_CONNECTION_PER_SEC: "100000", RATE_LIMIT_CONNECTION_BURST: "100000" });
  // loadtest.start launches testers: a launcher that starts nothing keeps the table cheap.
  server.app.deps.launchers = { ...(server.app.deps.launchers ?? {}), local: fakeLauncher().launcher };
  const db = await testDb();
  course = await seedCourse(db, { students: 7, tag: "authz" });
  other = await seedCourse(db, { students: 1, tag: "authz-other" });
  const [ownerS, g0, g4, g6, g7, student] = course.students as [SeededCourse["students"][0], ...SeededCourse["students"]];
  const people: [Role, number][] = [
    ["teacher", course.teacher.userId],
    ["otherTeacher", other.teacher.userId],
    ["owner", ownerS.userId],
    ["g0", g0!.userId],
    ["g4", g4!.userId],
    ["g6", g6!.userId],
    ["g7", g7!.userId],
    ["student", student!.userId],
    ["outsider", other.students[0]!.userId],
  ];
  for (const [role, userId] of people) {
    userIds.set(role, userId);
    clients.set(role, (await connectUser(server.wsUrl, userId)).api);
  }
  clients.set("admin", connectAdmin(server.wsUrl).api);
  clients.set("anonymous", anonymousHttpApi(server.url));
  ctx.lessonId = course.lessonId;
  ctx.ownerId = ownerS.participantId;
  for (const role of MEMBERS) await clients.get(role)!.lesson.join.mutate({ lessonId: ctx.lessonId });
  // The outsiders join their own lesson, so they are users with projects, just not of this course.
  for (const role of OUTSIDE_COURSE) await clients.get(role)!.lesson.join.mutate({ lessonId: other.lessonId });
  await owner().project.setPermissions.mutate({
    lessonId: ctx.lessonId,
    grants: [
      { viewerId: g0!.participantId, permission: 0 },
      { viewerId: g4!.participantId, permission: 4 },
      { viewerId: g6!.participantId, permission: 6 },
      { viewerId: g7!.participantId, permission: 7 },
    ],
  });
  await owner().files.create.mutate({ ...onOwner("main.py"), type: "file", content: "a = 1\nb = 2\n" });
  const thread = await owner().qna.create.mutate({
    lessonId: ctx.lessonId,
    ref: { ownerId: ctx.ownerId, path: "main.py", lines: { start: 1, end: 1 } },
    acl: [course.teacher.participantId],
    content: "Why is a 1?",
  });
  ctx.threadId = thread.id;
  ctx.commentId = thread.comments[0]!.id;
  ctx.testId = (await createTest()).id;
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

function createTest() {
  return admin().loadtest.create.mutate({
    lessonId: ctx.lessonId,
    serverUrl: server.wsUrl,
    clients: 1,
    launcher: "local",
    scenario: { ratePerClient: 1 },
    durationSec: 5,
  } as never) as Promise<{ id: number }>;
}

/**
 * The client API shape, answered over HTTP without credentials: every call goes to /trpc/<path>
 * with the row's real input and rejects with the HTTP status and the tRPC error the server sent.
 * A subscription is the GET an SSE client would send; it must be refused with a plain answer, not
 * a stream.
 */
function anonymousHttpApi(baseUrl: string): Api {
  type Refusal = { data?: { code?: string; httpStatus?: number; appCode?: string } };
  const call = async (path: string, method: "GET" | "POST", input: unknown) => {
    const res =
      method === "GET"
        ? await fetch(`${baseUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input ?? {}))}`)
        : await fetch(`${baseUrl}/trpc/${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(input ?? {}) });
    const contentType = res.headers.get("content-type");
    const body = (await res.json().catch(() => null)) as { error?: Refusal } | null;
    if (res.ok) return body;
    throw Object.assign(new Error(`${path} refused`), { status: res.status, contentType, data: body?.error?.data });
  };
  const node = (segments: string[]): unknown =>
    new Proxy(() => undefined, {
      get(_target, key: string) {
        const path = segments.join(".");
        if (key === "query") return (input: unknown) => call(path, "GET", input);
        if (key === "mutate") return (input: unknown) => call(path, "POST", input);
        if (key === "subscribe") {
          return (input: unknown, handlers: { onError?: (e: unknown) => void; onData?: () => void }) => {
            call(path, "GET", input).then(() => handlers.onData?.(), (e: unknown) => handlers.onError?.(e));
            return { unsubscribe() {} };
          };
        }
        return node([...segments, key]);
      },
    });
  return node([]) as Api;
}

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

/** A reader without READ is refused reading; one with READ but not WRITE is refused changing. */
const noRead = () => "NO_READ_PERMISSION";
const noWrite = (role: Role) => (role === "g4" ? "NO_WRITE_PERMISSION" : "NO_READ_PERMISSION");
/** qna.update / qna.editComment: the thread's acl is owner + teacher; of those only the owner wrote. */
const notAuthor = (role: Role) => (role === "teacher" ? "NOT_AUTHOR" : "NOT_IN_ACL");

/** A file of the owner's own, made for one role's call. */
const freshFile = (prefix: string, content = "old\n") => async (role: Role) => {
  const path = `${prefix}-${role}.txt`;
  await owner().files.create.mutate({ ...onOwner(path), type: "file", content });
  return { path };
};
const readText = async (path: string) => (await owner().files.read.query(onOwner(path))).content;
const exists = async (path: string) => (await owner().files.list.query({ lessonId: ctx.lessonId, ownerId: ctx.ownerId })).entries.some((e) => e.path === path);
const liveText = async (path: string) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from((await owner().edits.sync.mutate(onOwner(path))).update, "base64"));
  return doc.getText("content").toString();
};

/** `GET` of the owner's project as a zip with the role's HTTP credentials (Bearer token, admin key, or none). */
async function downloadOwnerZip(role: Role) {
  const userId = userIds.get(role);
  const headers: Record<string, string> =
    role === "admin" ? { "x-admin-key": TEST_ADMIN_KEY } : userId === undefined ? {} : { authorization: `Bearer ${await tokenFor(userId)}` };
  const res = await fetch(`${server.url}/projects/${ctx.lessonId}/${ctx.ownerId}.zip`, { headers });
  const contentType = res.headers.get("content-type");
  if (!res.ok) {
    const body = (await res.json()) as { error: { code: string } };
    throw Object.assign(new Error("zip refused"), { status: res.status, contentType, code: body.error.code });
  }
  return { contentType, files: await readTemplateZip(Buffer.from(await res.arrayBuffer())) };
}

/** Who may not download: not signed in, the admin key (no user), outside the course, or a student (grants aside). */
function zipRefusal(role: Role): { status: number; code: string } {
  if (role === "anonymous") return { status: 401, code: "MISSING_CREDENTIALS" };
  if (role === "admin") return { status: 403, code: "NOT_A_USER" };
  return OUTSIDE_COURSE.includes(role) ? { status: 403, code: "NOT_A_MEMBER" } : { status: 403, code: "NO_READ_PERMISSION" };
}

const adminOnly: Pick<Row, "kind" | "allowed"> = { kind: "admin", allowed: ["admin"] };
/** A test of the admin's, not started, made for one role's call. */
const freshTest = async () => ({ testId: (await createTest()).id });

const table: Row[] = [
  { name: "session.me", kind: "any", allowed: SIGNED_IN, call: (api) => api.session.me.query() },
  { name: "session.timeSync", kind: "any", allowed: SIGNED_IN, call: (api) => api.session.timeSync.mutate({ t0: Date.now() }) },
  { name: "lesson.join", kind: "user", allowed: MEMBERS, call: (api) => api.lesson.join.mutate({ lessonId: ctx.lessonId }) },
  { name: "lesson.participants", kind: "user", allowed: [...MEMBERS, "admin"], call: (api) => api.lesson.participants.query({ lessonId: ctx.lessonId }) },
  { name: "lesson.presence", kind: "user", allowed: [...MEMBERS, "admin"], call: (api) => subscribed((h) => api.lesson.presence.subscribe({ lessonId: ctx.lessonId }, h)) },
  { name: "lesson.list", ...adminOnly, call: (api) => api.lesson.list.query() },
  { name: "project.access", kind: "user", allowed: MEMBERS, call: (api) => api.project.access.query({ lessonId: ctx.lessonId }) },
  {
    // Each caller changes their own project (API.md: setPermissions is about the caller's own).
    name: "project.setPermissions",
    kind: "user",
    allowed: MEMBERS,
    call: (api, role) =>
      api.project.setPermissions.mutate({
        lessonId: ctx.lessonId,
        grants: [{ viewerId: role === "teacher" ? course.students[6]!.participantId : course.teacher.participantId, permission: role === "teacher" ? 4 : 7 }],
      }),
  },
  { name: "project.watch", kind: "user", allowed: READERS, denied: noRead, call: (api) => subscribed((h) => api.project.watch.subscribe({ lessonId: ctx.lessonId, ownerId: ctx.ownerId }, h)) },
  { name: "project.ping", kind: "user", allowed: READERS, denied: noRead, call: (api) => api.project.ping.mutate({ lessonId: ctx.lessonId, ownerId: ctx.ownerId }) },
  { name: "project.backup", ...adminOnly, call: (api) => api.project.backup.mutate({ lessonId: ctx.lessonId, ownerId: ctx.ownerId }) },
  {
    // Owners and teachers only: a grant of READ lets a student open the project, not take it away.
    name: "GET /projects/<lessonId>/<ownerId>.zip",
    kind: "route",
    allowed: ["teacher", "owner"],
    refusal: zipRefusal,
    call: (_api, role) => downloadOwnerZip(role),
    check: async (allowed, _role, _f, result) => {
      if (!allowed) return;
      const { contentType, files } = result as Awaited<ReturnType<typeof downloadOwnerZip>>;
      expect(contentType).toBe("application/zip");
      expect(files.find((f) => f.path === "main.py")?.content?.toString()).toBe("a = 1\nb = 2\n");
    },
  },
  { name: "files.list", kind: "user", allowed: READERS, denied: noRead, call: (api) => api.files.list.query({ lessonId: ctx.lessonId, ownerId: ctx.ownerId }) },
  {
    name: "files.read",
    kind: "user",
    allowed: READERS,
    denied: noRead,
    call: (api) => api.files.read.query(onOwner("main.py")),
    check: async (allowed, _role, _f, result) => {
      if (allowed) expect((result as { content: string }).content).toContain("a = 1");
    },
  },
  { name: "files.readMany", kind: "user", allowed: READERS, denied: noRead, call: (api) => api.files.readMany.query({ lessonId: ctx.lessonId, ownerId: ctx.ownerId }) },
  {
    name: "files.create",
    kind: "user",
    allowed: WRITERS,
    denied: noWrite,
    call: (api, role) => api.files.create.mutate({ ...onOwner(`created-${role}.txt`), type: "file", content: "x" }),
    check: async (allowed, role) => expect(await exists(`created-${role}.txt`)).toBe(allowed),
  },
  {
    name: "files.write",
    kind: "user",
    allowed: WRITERS,
    denied: noWrite,
    setup: freshFile("write"),
    call: (api, role, f) => api.files.write.mutate({ ...onOwner(f.path), content: `by ${role}\n` }),
    check: async (allowed, role, f) => expect(await readText(f.path)).toBe(allowed ? `by ${role}\n` : "old\n"),
  },
  {
    name: "files.rename",
    kind: "user",
    allowed: WRITERS,
    denied: noWrite,
    setup: freshFile("rename"),
    call: (api, _role, f) => api.files.rename.mutate({ ...onOwner(f.path), newPath: `renamed-${f.path}` }),
    check: async (allowed, _role, f) => {
      expect(await exists(f.path)).toBe(!allowed);
      expect(await exists(`renamed-${f.path}`)).toBe(allowed);
    },
  },
  {
    name: "files.delete",
    kind: "user",
    allowed: WRITERS,
    denied: noWrite,
    setup: freshFile("delete"),
    call: (api, _role, f) => api.files.delete.mutate(onOwner(f.path)),
    check: async (allowed, _role, f) => expect(await exists(f.path)).toBe(!allowed),
  },
  { name: "edits.sync", kind: "user", allowed: READERS, denied: noRead, call: (api) => api.edits.sync.mutate(onOwner("main.py")) },
  {
    name: "edits.push",
    kind: "user",
    allowed: WRITERS,
    denied: noWrite,
    setup: freshFile("push"),
    call: async (api, role, f) => {
      // The update is built from the owner's copy, so a refused caller still sends a valid update.
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Buffer.from((await owner().edits.sync.mutate(onOwner(f.path))).update, "base64"));
      const sv = Y.encodeStateVector(doc);
      doc.getText("content").insert(0, `#${role} `);
      return api.edits.push.mutate({ ...onOwner(f.path), update: Buffer.from(Y.encodeStateAsUpdate(doc, sv)).toString("base64") });
    },
    check: async (allowed, role, f) => expect(await liveText(f.path)).toBe(allowed ? `#${role} old\n` : "old\n"),
  },
  {
    name: "cursor.move",
    kind: "user",
    allowed: READERS,
    denied: noRead,
    call: (api) => api.cursor.move.mutate({ ...onOwner("main.py"), position: { line: 1, column: 1 } }),
  },
  { name: "cursor.last", kind: "user", allowed: READERS, denied: noRead, call: (api) => api.cursor.last.query(onOwner("main.py")) },
  { name: "inbox.watch", kind: "user", allowed: MEMBERS, call: (api) => subscribed((h) => api.inbox.watch.subscribe({ lessonId: ctx.lessonId }, h)) },
  { name: "qna.list", kind: "user", allowed: MEMBERS, call: (api) => api.qna.list.query({ lessonId: ctx.lessonId }) },
  {
    name: "qna.create",
    kind: "user",
    allowed: READERS,
    denied: noRead,
    call: (api, role) => api.qna.create.mutate({ lessonId: ctx.lessonId, ref: { ownerId: ctx.ownerId, path: "main.py", lines: { start: 1, end: 2 } }, acl: [], content: `? ${role}` }),
    check: async (allowed, role) => {
      const threads = await owner().qna.list.query({ lessonId: ctx.lessonId, ownerId: ctx.ownerId });
      expect(threads.some((t) => t.comments[0]?.content === `? ${role}`)).toBe(allowed);
    },
  },
  {
    name: "qna.update",
    kind: "user",
    allowed: ["owner"],
    denied: notAuthor,
    call: (api) => api.qna.update.mutate({ lessonId: ctx.lessonId, threadId: ctx.threadId, resolved: true }),
    check: async (allowed) => {
      const [thread] = (await owner().qna.list.query({ lessonId: ctx.lessonId })).filter((t) => t.id === ctx.threadId);
      expect(thread!.resolved).toBe(allowed);
      if (allowed) await owner().qna.update.mutate({ lessonId: ctx.lessonId, threadId: ctx.threadId, resolved: false });
    },
  },
  {
    name: "qna.comment",
    kind: "user",
    allowed: ["owner", "teacher"],
    denied: () => "NOT_IN_ACL",
    call: (api, role) => api.qna.comment.mutate({ lessonId: ctx.lessonId, threadId: ctx.threadId, content: `answer by ${role}` }),
    check: async (allowed, role) => {
      const [thread] = (await owner().qna.list.query({ lessonId: ctx.lessonId })).filter((t) => t.id === ctx.threadId);
      expect(thread!.comments.some((c) => c.content === `answer by ${role}`)).toBe(allowed);
    },
  },
  {
    name: "qna.editComment",
    kind: "user",
    allowed: ["owner"],
    denied: notAuthor,
    call: (api, role) => api.qna.editComment.mutate({ lessonId: ctx.lessonId, commentId: ctx.commentId, content: `edited by ${role}` }),
    check: async (allowed, role) => {
      const [thread] = (await owner().qna.list.query({ lessonId: ctx.lessonId })).filter((t) => t.id === ctx.threadId);
      expect(thread!.comments.some((c) => c.content === `edited by ${role}`)).toBe(allowed);
    },
  },
  { name: "monitor.instances", ...adminOnly, call: (api) => api.monitor.instances.query() },
  { name: "monitor.watch", ...adminOnly, call: (api) => subscribed((h) => api.monitor.watch.subscribe({ lessonId: ctx.lessonId }, h)) },
  {
    name: "loadtest.create",
    ...adminOnly,
    call: (api) =>
      api.loadtest.create.mutate({ lessonId: ctx.lessonId, serverUrl: server.wsUrl, clients: 1, launcher: "local", scenario: { ratePerClient: 1 }, durationSec: 5 } as never),
    check: async (allowed, _role, _f, result) => {
      if (!allowed) return;
      const { id } = result as { id: number };
      await expect(admin().loadtest.get.query({ testId: id })).resolves.toMatchObject({ id });
      await admin().loadtest.delete.mutate({ testId: id });
    },
  },
  {
    name: "loadtest.start",
    ...adminOnly,
    setup: freshTest,
    call: (api, _role, f) => api.loadtest.start.mutate({ testId: f.testId }),
    check: async (allowed, _role, f) => {
      const test = (await admin().loadtest.get.query({ testId: f.testId })) as { state: string };
      if (!allowed) {
        expect(test.state).toBe("created");
        return;
      }
      expect(test.state).not.toBe("created");
      // One test runs at a time: end this one so later rows can start theirs.
      await admin().loadtest.stop.mutate({ testId: f.testId });
    },
  },
  { name: "loadtest.list", ...adminOnly, call: (api) => api.loadtest.list.query() },
  { name: "loadtest.get", ...adminOnly, call: (api) => api.loadtest.get.query({ testId: ctx.testId }) },
  { name: "loadtest.results", ...adminOnly, call: (api) => api.loadtest.results.query({ testId: ctx.testId }).catch(wrongTestState) },
  { name: "loadtest.watch", ...adminOnly, call: (api) => subscribed((h) => api.loadtest.watch.subscribe({ testId: ctx.testId }, h)) },
  { name: "loadtest.extend", ...adminOnly, call: (api) => api.loadtest.extend.mutate({ testId: ctx.testId, addSec: 5 }).catch(wrongTestState) },
  { name: "loadtest.stop", ...adminOnly, call: (api) => api.loadtest.stop.mutate({ testId: ctx.testId }).catch(wrongTestState) },
  {
    name: "loadtest.delete",
    ...adminOnly,
    setup: freshTest,
    call: (api, _role, f) => api.loadtest.delete.mutate({ testId: f.testId }),
    check: async (allowed, _role, f) => {
      const found = await admin().loadtest.get.query({ testId: f.testId }).then(
        () => true,
        (e: unknown) => (appCodeOf(e) === "TEST_NOT_FOUND" ? false : Promise.reject(e)),
      );
      expect(found).toBe(!allowed);
      if (found) await admin().loadtest.delete.mutate({ testId: f.testId });
    },
  },
  { name: "tester.register", kind: "tester", allowed: [], call: (api) => api.tester.register.mutate({ testId: ctx.testId, testerId: "t1" } as never) },
  { name: "tester.progress", kind: "tester", allowed: [], call: (api) => api.tester.progress.mutate({ testId: ctx.testId, testerId: "t1" } as never) },
  { name: "tester.awaitStart", kind: "tester", allowed: [], call: (api) => subscribed((h) => api.tester.awaitStart.subscribe({ testId: ctx.testId } as never, h)) },
];

/**
 * The admin passed the access check when a test that is not running refuses a state change with
 * WRONG_TEST_STATE; any other refusal fails the row.
 */
function wrongTestState(error: unknown): unknown {
  if (appCodeOf(error) === "WRONG_TEST_STATE") return "allowed";
  throw error;
}

/** The appCodes a refused caller may get: one, except for ids of another course (API.md: not found). */
function expectedRefusal(row: Row, role: Role): string[] {
  if (row.kind === "tester") return ["NOT_A_TESTER"];
  if (row.kind === "admin") return ["NOT_ADMIN"];
  if (role === "admin") return ["NOT_A_USER"];
  if (OUTSIDE_COURSE.includes(role)) return ["NOT_A_MEMBER"];
  if (!row.denied) throw new Error(`${row.name}: no appCode for a refused in-course caller`);
  return [row.denied(role)];
}

const procedures = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures;
const procedureType = (name: string) => procedures[name]?._def.type;

describe("authorization: every procedure × every role", () => {
  it("covers every procedure of the router", () => {
    const routed = Object.keys(procedures);
    const covered = new Set(table.map((row) => row.name));
    expect(routed.filter((p) => !covered.has(p))).toEqual([]);
  });

  const cases = table.flatMap((row) => ROLES.map((role) => [row.name, role, row.allowed.includes(role), row] as const));
  it.each(cases)("%s as %s → allowed: %s", async (_name, role, allowed, row) => {
    const fixture: Fixture = { path: "main.py", testId: ctx.testId, ...(await row.setup?.(role)) };
    const outcome = await row.call(clients.get(role)!, role, fixture).then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (allowed) {
      if (!outcome.ok) throw outcome.error;
      expect(outcome.result).toBeDefined();
    } else {
      expect(outcome.ok, "expected a refusal").toBe(false);
      const error = (outcome as { error: { status?: number; contentType?: string; code?: string; data?: { code?: string; httpStatus?: number } } }).error;
      if (row.kind === "route") {
        expect({ status: error.status, code: error.code }).toEqual(row.refusal!(role));
        expect(error.contentType).toMatch(/^application\/json/);
      } else if (role === "anonymous") {
        // Nothing runs without credentials: the context refuses before any procedure. HTTP
        // serves no subscription at all (WebSocket only), so one is refused before credentials.
        const refusal = procedureType(row.name) === "subscription" ? { status: 405, code: "METHOD_NOT_SUPPORTED" } : { status: 401, code: "UNAUTHORIZED" };
        expect({ status: error.status, code: error.data?.code, httpStatus: error.data?.httpStatus }).toEqual({ ...refusal, httpStatus: refusal.status });
        expect(error.contentType).toMatch(/^application\/json/);
      } else {
        expect(errorCodeOf(error)).toBe("FORBIDDEN");
        expect(expectedRefusal(row, role)).toContain(appCodeOf(error));
      }
    }
    await row.check?.(allowed, role, fixture, outcome.ok ? outcome.result : undefined);
  });
});

describe("subscriptions over HTTP", () => {
  it("are refused with a plain 405 and no stream, with valid credentials too, however asked for", async () => {
    const headers = { authorization: `Bearer ${await tokenFor(course.teacher.userId)}` };
    const url = (path: string, input: unknown, query = "") => `${server.url}/trpc/${path}?${query}input=${encodeURIComponent(JSON.stringify(input))}`;
    const input = { lessonId: ctx.lessonId };
    // The same credentials are good for a query over HTTP: the refusals below are not about them.
    expect((await fetch(url("lesson.participants", input), { headers })).status).toBe(200);
    const answers = await Promise.all([
      fetch(url("lesson.presence", input), { headers }),
      fetch(url("lesson.presence", input), { headers: { ...headers, accept: "text/event-stream" } }),
      fetch(`${server.url}/trpc/lesson.presence`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(input) }),
      fetch(url("lesson.presence", { 0: input }, "batch=1&"), { headers }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(405);
      expect(res.headers.get("content-type")).toBe("application/json");
      const { error } = (await res.json()) as { error: { message: string; data: Record<string, unknown> } };
      expect(error.data).toMatchObject({ code: "METHOD_NOT_SUPPORTED", appCode: "METHOD_NOT_SUPPORTED", httpStatus: 405, path: "lesson.presence" });
      expect(error.message).toMatch(/WebSocket only/);
    }
  });
});
