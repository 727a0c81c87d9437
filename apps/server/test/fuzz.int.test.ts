import fc from "fast-check";
import { Redis } from "ioredis";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { appRouter } from "@cohort/api";
import { QNA_LIST_MAX_LIMIT, QNA_MAX_ACL, QNA_MAX_CONTENT_CHARS } from "@cohort/api/schemas";
import { seedCourse } from "@cohort/db";
import { appCodeOf, createCohortClient, errorCodeOf, type CohortClient } from "@cohort/sdk";
import { LocalBlobStore } from "@cohort/storage";
import { testEnv } from "@cohort/test-support";
import { closeAllClients, connectAdmin, sharedBlobDir, startTestApp, tokenFor, type StartedApp } from "./support/test-app.js";
import { classroom, type Classroom } from "./support/classroom.js";
import { testDb } from "./support/test-db.js";

const KNOWN_CODES = new Set([
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "BAD_REQUEST",
  "PAYLOAD_TOO_LARGE",
  "TOO_MANY_REQUESTS",
  "PRECONDITION_FAILED",
  "METHOD_NOT_SUPPORTED",
  "PARSE_ERROR",
]);

let server: StartedApp;
let room: Classroom;
let redis: Redis;
let token: string;
/** A lesson of another course, for well-formed inputs naming someone else's resource. */
let otherLessonId: number;

beforeAll(async () => {
  server = await startTestApp({
    RATE_LIMIT_CONNECTION_PER_SEC: "100000",
    RATE_LIMIT_CONNECTION_BURST: "100000",
    RATE_LIMIT_USER_PER_SEC: "100000",
    RATE_LIMIT_USER_BURST: "100000",
    RATE_LIMIT_CURSOR_PER_SEC: "100000",
    RATE_LIMIT_CURSOR_BURST: "100000",
    RATE_LIMIT_CURSOR_USER_PER_SEC: "100000",
    RATE_LIMIT_CURSOR_USER_BURST: "100000",
    // Small, so that inputs one byte past them stay small (the path limits keep API.md's).
    MAX_FILE_BYTES: "8192",
    MAX_UPDATE_BYTES: "16384",
    // The blob store is part of the state that must not change; a periodic backup of the
    // student's project (due once its first run sees no backup) would write to it meanwhile.
    BACKUP_WORKER: "false",
  });
  room = await classroom(server.wsUrl, { students: 2, tag: "fuzz" });
  otherLessonId = (await seedCourse(await testDb(), { students: 1, tag: "fuzz-other", templateKey: null })).lessonId;
  const s = room.students[0]!;
  await s.client.api.files.create.mutate({ lessonId: room.lessonId, ownerId: s.participantId, path: "main.py", type: "file", content: "x = 1\n" });
  // A backup, so the blob store holds something a hostile call could overwrite or delete.
  await connectAdmin(server.wsUrl).api.project.backup.mutate({ lessonId: room.lessonId, ownerId: s.participantId });
  token = await tokenFor(s.userId);
  redis = new Redis(testEnv().redisUrl);
});
afterAll(async () => {
  redis.disconnect();
  await closeAllClients();
  await server.close();
});

/**
 * The rows of this test's course and lesson, its project keys in Redis and the blob store's keys
 * and sizes: the state that must not change. (Scoped to this course, because other test files
 * write to the database meanwhile.)
 */
async function stateSnapshot() {
  const db = await testDb();
  const { lessonId, course } = room;
  const inLesson = { lessonId };
  const counts = {
    users: await db.user.count({ where: { participants: { some: { courseId: course.courseId } } } }),
    participants: await db.participant.count({ where: { courseId: course.courseId } }),
    lessons: await db.lesson.count({ where: { courseId: course.courseId } }),
    projects: await db.project.findMany({ where: inLesson, orderBy: { id: "asc" } }),
    grants: await db.projectGrant.findMany({ where: { project: inLesson }, orderBy: [{ projectId: "asc" }, { viewerId: "asc" }] }),
    codeRefs: await db.codeRef.count({ where: { project: inLesson } }),
    threads: await db.qnaThread.count({ where: inLesson }),
    comments: await db.qnaComment.count({ where: { thread: inLesson } }),
    loadTests: await db.loadTest.count({ where: inLesson }),
    testers: await db.tester.count({ where: { loadTest: inLesson } }),
  };
  const prefix = inject("redisPrefix");
  const keys = (await redis.keys(`${prefix}{l:${lessonId}:*`)).filter((k) => !k.endsWith(":events") && !k.includes(":presence") && !k.endsWith(":meta"));
  const files = await Promise.all(keys.sort().map(async (k) => [k, await redis.dump(k)] as const));
  // meta holds touchedAt, which reads may move; compare what matters in it.
  const metas = await Promise.all(
    (await redis.keys(`${prefix}{l:${lessonId}:*:meta`)).sort().map(async (k) => [k, await redis.hmget(k, "version", "totalSize", "entryCount")] as const),
  );
  // Every blob (file contents past the inline size, backups, zips) with its size: the store's
  // folder belongs to this file's server alone.
  const blobs = (await new LocalBlobStore({ dir: sharedBlobDir() }).list("")).map(({ key, size }) => [key, size] as const);
  return { counts, files, metas, blobs };
}

const hostileString = fc.oneof(
  fc.constantFrom("../../../etc/passwd", "/abs/path", "a//b", "C:\\x", "\u0000", "%00", "{}", "$(rm -rf /)", "<script>", "' OR 1=1 --", "🙂", ""),
  fc.string({ maxLength: 40 }),
  fc.nat({ max: 3 }).map((n) => "x".repeat([300, 5_000, 70_000, 900_000][n]!)),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, 1e308),
  fc.integer(),
  fc.double({ noNaN: false }),
);
const hostileValue = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 5 }),
  // Lists of paths (files.readMany): traversal, duplicates, and more than a call may name.
  fc.array(hostileString, { maxLength: 5 }),
  fc.nat({ max: 2 }).map((n) => Array.from({ length: [2, 1001, 20_000][n]! }, (_, i) => (n === 0 ? "main.py" : `f${i}`))),
  fc.object({ maxDepth: 2 }),
);
const fields = ["lessonId", "ownerId", "path", "paths", "cursor", "newPath", "type", "content", "encoding", "update", "stateVector", "position", "grants", "testId", "threadId", "commentId", "acl", "ref", "lines", "t0", "trace", "viewerId", "clients", "launcher"];
const hostileInput = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.dictionary(fc.constantFrom(...fields), hostileValue, { maxKeys: 6 }),
  // Mostly right shape, hostile ids: another course's lesson, other users' ids, huge ids.
  fc.record({ lessonId: fc.oneof(fc.constant(2_147_483_647), hostileNumber), ownerId: hostileNumber, path: hostileString }, { requiredKeys: [] }),
);

/**
 * Calls a procedure over HTTP as the student: the status, the body, and the error's tRPC code and
 * appCode when refused. No answer may leak a stack trace, SQL or the database driver's name.
 */
async function callAsStudent(path: string, type: string, input: unknown) {
  const body = JSON.stringify(input === undefined ? null : input);
  const response =
    type === "query"
      ? await fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(body)}`, { headers: { authorization: `Bearer ${token}` } })
      : await fetch(`${server.url}/trpc/${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
  const text = await response.text();
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+|prisma|SELECT |stack/i);
  const error = response.status === 200 || !text.startsWith("{") ? undefined : (JSON.parse(text) as { error: { data: { code: string; appCode?: string } } }).error.data;
  return { status: response.status, text, error };
}

describe("hostile input to every procedure, as an authenticated student", () => {
  const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures).filter(
    ([, p]) => p._def.type !== "subscription",
  );

  it("covers the whole router", () => {
    expect(procedures.length).toBeGreaterThan(15);
  });

  it.each(procedures.map(([path, p]) => [path, p._def.type] as const))("%s (%s) answers with a known error and changes nothing", async (path, type) => {
    const before = await stateSnapshot();
    await fc.assert(
      fc.asyncProperty(hostileInput, async (input) => {
        const { status, text, error } = await callAsStudent(path, type, input);
        if (status === 200) return; // harmless (e.g. timeSync with any number)
        // Node refuses a query string too long for its header limit before tRPC sees it.
        if (status === 431 || status === 414) return;
        expect(KNOWN_CODES.has(error!.code), `${path} answered ${error!.code}: ${text.slice(0, 300)}`).toBe(true);
      }),
      { numRuns: 25, seed: 20261129 },
    );
    expect(await stateSnapshot()).toEqual(before);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

/** The ws server's frame limit (abuse.int.test.ts covers bigger frames: the connection is closed). */
const MAX_FRAME_BYTES = 1024 * 1024;

type SubscribeHandlers = { onStarted: () => void; onData: () => void; onError: (error: unknown) => void };
type Subscribable = { subscribe(input: unknown, handlers: SubscribeHandlers): { unsubscribe(): void } };

/**
 * How a subscription ended: its error, or "accepted" when it started and neither failed nor
 * yielded within `waitMs` (tRPC can say "started" before the procedure's checks have run, so
 * "started" alone proves nothing; a refused input fails within a round trip or two).
 */
function outcome(procedure: Subscribable, input: unknown, waitMs = 1_500): Promise<{ error?: unknown; accepted?: true }> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: { error?: unknown; accepted?: true }) => {
      clearTimeout(timer);
      setTimeout(() => sub.unsubscribe(), 0);
      resolve(result);
    };
    const sub = procedure.subscribe(input, {
      onStarted: () => void (timer ??= setTimeout(() => finish({ accepted: true }), waitMs)),
      onData: () => finish({ accepted: true }),
      onError: (error) => finish({ error }),
    });
  });
}

describe("hostile input to every subscription, over WebSocket, as an authenticated student", () => {
  const subscriptions = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures)
    .filter(([, p]) => p._def.type === "subscription")
    .map(([path]) => path);
  let client: CohortClient;
  /** Times the client's one WebSocket opened: more than one means the server dropped it. */
  let opens = 0;
  const procedureAt = (path: string) => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], client.api) as Subscribable;

  beforeAll(async () => {
    client = createCohortClient({
      url: server.wsUrl,
      token: await tokenFor(room.students[1]!.userId),
      WebSocket,
      retryDelayMs: () => 100,
      onConnectionChange: (state) => void (state.state === "open" && opens++),
    });
  });
  afterAll(() => client.close());

  it("covers every subscription of the router", () => {
    expect(subscriptions.sort()).toEqual(["lesson.presence", "loadtest.watch", "monitor.watch", "project.watch", "inbox.watch", "tester.awaitStart"].sort());
  });

  it.each(subscriptions)("%s ends every bad input with a known error, on a connection that stays up", async (path) => {
    const before = await stateSnapshot();
    const procedure = procedureAt(path);
    await fc.assert(
      fc.asyncProperty(hostileInput, async (input) => {
        // Inputs naming the student's own lesson could be well-formed and accepted; the bad-input
        // property is about the others (the refusal of others' resources is tested below).
        fc.pre(!(typeof input === "object" && input !== null && (input as { lessonId?: unknown }).lessonId === room.lessonId));
        fc.pre(JSON.stringify(input ?? null).length < MAX_FRAME_BYTES - 1024);
        const { error, accepted } = await outcome(procedure, input);
        expect(accepted, `${path} accepted ${JSON.stringify(input)?.slice(0, 200)}`).toBeUndefined();
        const code = errorCodeOf(error);
        expect(KNOWN_CODES.has(code ?? ""), `${path} ended with ${String(code)}: ${String(error)}`).toBe(true);
        expect(`${(error as Error).message} ${JSON.stringify((error as { data?: unknown }).data)}`).not.toMatch(/\bat .*\.(ts|js):\d+|prisma|SELECT |stack/i);
      }),
      { numRuns: 15, seed: 20261129 },
    );
    // Same connection, still serving; the server healthy; nothing changed.
    expect(await client.api.session.me.query()).toMatchObject({ userId: room.students[1]!.userId });
    expect(opens).toBe(1);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await stateSnapshot()).toEqual(before);
  });

  // Well-formed inputs naming a resource that is not the student's: refused with the reason API.md gives.
  const foreign: [string, () => unknown, string][] = [
    ["project.watch", () => ({ lessonId: room.lessonId, ownerId: room.students[0]!.participantId }), "NO_READ_PERMISSION"],
    ["inbox.watch", () => ({ lessonId: otherLessonId }), "NOT_A_MEMBER"],
    ["lesson.presence", () => ({ lessonId: otherLessonId }), "NOT_A_MEMBER"],
    ["monitor.watch", () => ({ lessonId: room.lessonId }), "NOT_ADMIN"],
    ["loadtest.watch", () => ({ testId: 1 }), "NOT_ADMIN"],
    ["tester.awaitStart", () => ({ testId: 1 }), "NOT_A_TESTER"],
  ];
  it("names every subscription in the foreign-resource table", () => {
    expect(foreign.map(([path]) => path).sort()).toEqual(subscriptions.sort());
  });
  it.each(foreign)("%s refuses a well-formed input for someone else's resource", async (path, input, appCode) => {
    const { error } = await outcome(procedureAt(path), input());
    expect([errorCodeOf(error), appCodeOf(error)]).toEqual(["FORBIDDEN", appCode]);
    expect(opens).toBe(1);
  });
});

/** `char` repeated to exactly `size` units (UTF-8 bytes or UTF-16 code units, as `unitsOf` counts), topped up with "a". */
function fill(size: number, char: string, unitsOf: (text: string) => number): string {
  const repeats = Math.floor(size / unitsOf(char));
  return char.repeat(repeats) + "a".repeat(size - repeats * unitsOf(char));
}
const utf8Bytes = (text: string) => Buffer.byteLength(text);
const utf16Units = (text: string) => text.length;
/** Characters of 1 to 4 UTF-8 bytes: a byte limit must not be taken for a character count. */
const anyWidth = fc.constantFrom("a", "é", "€", "🙂");

/** A path of exactly `bytes` bytes whose every segment is valid (1 to `segmentBytes` bytes). */
function pathOfBytes(bytes: number, segmentBytes: number, char: string): string {
  const segments: string[] = [];
  for (let left = bytes; left > 0; ) {
    if (segments.length > 0) left -= 1; // the slash
    let take = Math.min(segmentBytes, left);
    // Leave either nothing or room for a slash and a segment: never a trailing empty one.
    if (left - take === 1) take -= 1;
    segments.push(fill(take, char, utf8Bytes));
    left -= take;
  }
  const path = segments.join("/");
  // The input must break the total only, or a refusal would prove nothing about the limit.
  if (utf8Bytes(path) !== bytes || segments.some((s) => s === "" || utf8Bytes(s) > segmentBytes)) throw new Error(`not a ${bytes}-byte path of valid segments`);
  return path;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
/** Not canonical base64: characters outside the alphabet, a length that is not a multiple of 4, stray padding. */
const invalidBase64 = fc.oneof(
  fc.constantFrom("!!!!", "abc", "a===", "YQ", "YWJj\n", "YW Jj", "====", "Y-_=", "YWJj=", "=YWJ"),
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.constantFrom("-", "_", "*", " ", ".", "é"))
    .map(([bytes, at, bad]) => {
      const text = base64(bytes);
      const i = at % text.length;
      return text.slice(0, i) + bad + text.slice(i + 1);
    }),
  fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat()).map(([bytes, at]) => {
    const text = base64(bytes);
    const i = at % text.length;
    return text.slice(0, i) + text.slice(i + 1);
  }),
);

describe("boundary-invalid fields on the student's own project (ids right, one field one past a limit)", () => {
  let own: { lessonId: number; ownerId: number };
  let limits: { pathBytes: number; segmentBytes: number; fileBytes: number; updateBytes: number };
  let thread: { id: number; commentId: number };
  const mainPy = "x = 1\n";

  beforeAll(async () => {
    const s = room.students[0]!;
    own = { lessonId: room.lessonId, ownerId: s.participantId };
    // What this server is configured with, not what the test assumes.
    const store = server.app.files.store.limits;
    limits = { pathBytes: store.maxPathBytes, segmentBytes: store.maxSegmentBytes, fileBytes: server.app.deps.limits.maxFileBytes, updateBytes: server.app.deps.limits.maxUpdateBytes };
    expect(limits).toEqual({ pathBytes: 1024, segmentBytes: 255, fileBytes: 8192, updateBytes: 16384 });
    // A thread of the student's own, made after the hostile-input runs above (which could
    // otherwise name it by chance).
    const created = await s.client.api.qna.create.mutate({ lessonId: own.lessonId, ref: qnaRef(), content: "why?" });
    thread = { id: created.id, commentId: created.comments[0]!.id };
  });

  const tooLongPath = () =>
    fc.tuple(fc.integer({ min: 2, max: limits.segmentBytes }), anyWidth).map(([segment, char]) => pathOfBytes(limits.pathBytes + 1, segment, char));
  const tooLongSegment = () =>
    fc
      .tuple(fc.array(fc.constantFrom<string>("src", "ü", "a.b"), { maxLength: 3 }), fc.nat(), anyWidth)
      .map(([others, at, char]) => others.toSpliced(at % (others.length + 1), 0, fill(limits.segmentBytes + 1, char, utf8Bytes)).join("/"));
  const badPath = () => fc.oneof(tooLongPath(), tooLongSegment());
  const overMaxText = () => anyWidth.map((char) => fill(limits.fileBytes + 1, char, utf8Bytes));
  const overMaxBase64 = () => fc.uint8Array({ minLength: limits.fileBytes + 1, maxLength: limits.fileBytes + 1 }).map(base64);
  const tooLongQna = anyWidth.map((char) => fill(QNA_MAX_CONTENT_CHARS + 1, char, utf16Units));
  const badQna = fc.oneof(tooLongQna, fc.array(fc.constantFrom(" ", "\n", "\t"), { minLength: 1, maxLength: 20 }).map((s) => s.join("")), fc.string().map((s) => `${s}\u0000`));
  const at = { line: 1, column: 0 };
  const qnaRef = () => ({ ownerId: own.ownerId, path: "main.py", lines: { start: 1, end: 1 } });

  const INVALID_INPUT = ["BAD_REQUEST", "INVALID_INPUT"] as const;
  const INVALID_PATH = ["BAD_REQUEST", "INVALID_PATH"] as const;
  const FILE_TOO_LARGE = ["PAYLOAD_TOO_LARGE", "FILE_TOO_LARGE"] as const;
  const cases: [string, string, "query" | "mutation", () => fc.Arbitrary<unknown>, readonly [string, string]][] = [
    ["path past the byte limits", "files.create", "mutation", () => badPath().map((path) => ({ ...own, path, type: "file", content: "" })), INVALID_PATH],
    ["path past the byte limits", "files.read", "query", () => badPath().map((path) => ({ ...own, path })), INVALID_PATH],
    ["new path past the byte limits", "files.rename", "mutation", () => badPath().map((newPath) => ({ ...own, path: "main.py", newPath })), INVALID_PATH],
    ["path past the byte limits", "files.delete", "mutation", () => badPath().map((path) => ({ ...own, path })), INVALID_PATH],
    ["one bad path among good ones", "files.readMany", "query", () => badPath().map((path) => ({ ...own, paths: ["main.py", path] })), INVALID_PATH],
    ["cursor past the byte limits", "files.readMany", "query", () => badPath().map((cursor) => ({ ...own, cursor })), INVALID_PATH],
    ["path past the byte limits", "cursor.move", "mutation", () => badPath().map((path) => ({ ...own, path, position: at })), INVALID_PATH],
    ["path past the byte limits", "edits.sync", "mutation", () => badPath().map((path) => ({ ...own, path })), INVALID_PATH],
    ["text one byte over the file limit", "files.create", "mutation", () => overMaxText().map((content) => ({ ...own, path: "big.txt", type: "file", content })), FILE_TOO_LARGE],
    ["base64 one byte over the file limit", "files.create", "mutation", () => overMaxBase64().map((content) => ({ ...own, path: "big.bin", type: "file", content, encoding: "base64" })), FILE_TOO_LARGE],
    ["text one byte over the file limit", "files.write", "mutation", () => overMaxText().map((content) => ({ ...own, path: "main.py", content })), FILE_TOO_LARGE],
    ["base64 one byte over the file limit", "files.write", "mutation", () => overMaxBase64().map((content) => ({ ...own, path: "main.py", content, encoding: "base64" })), FILE_TOO_LARGE],
    [
      "an edit taking the file one byte over its limit",
      "edits.push",
      "mutation",
      () =>
        anyWidth.map((char) => {
          const doc = new Y.Doc();
          doc.getText("content").insert(0, fill(limits.fileBytes + 1 - utf8Bytes(mainPy), char, utf8Bytes));
          return { ...own, path: "main.py", update: base64(Y.encodeStateAsUpdate(doc)) };
        }),
      FILE_TOO_LARGE,
    ],
    ["invalid base64 content", "files.create", "mutation", () => invalidBase64.map((content) => ({ ...own, path: "new.bin", type: "file", content, encoding: "base64" })), INVALID_INPUT],
    ["invalid base64 content", "files.write", "mutation", () => invalidBase64.map((content) => ({ ...own, path: "main.py", content, encoding: "base64" })), INVALID_INPUT],
    ["invalid base64 update", "edits.push", "mutation", () => invalidBase64.map((update) => ({ ...own, path: "main.py", update })), ["BAD_REQUEST", "INVALID_UPDATE"]],
    ["invalid base64 state vector", "edits.sync", "mutation", () => invalidBase64.map((stateVector) => ({ ...own, path: "main.py", stateVector })), ["BAD_REQUEST", "INVALID_UPDATE"]],
    [
      "update one byte over the update limit",
      "edits.push",
      "mutation",
      () => fc.uint8Array({ minLength: limits.updateBytes + 1, maxLength: limits.updateBytes + 1 }).map((bytes) => ({ ...own, path: "main.py", update: base64(bytes) })),
      ["PAYLOAD_TOO_LARGE", "LIMIT_REACHED"],
    ],
    ["position one past the largest line", "cursor.move", "mutation", () => fc.integer({ min: 10_000_001, max: 2 ** 31 }).map((line) => ({ ...own, path: "main.py", position: { line, column: 0 } })), INVALID_INPUT],
    ["content too long, blank or with NUL", "qna.create", "mutation", () => badQna.map((content) => ({ lessonId: own.lessonId, ref: qnaRef(), content })), INVALID_INPUT],
    ["lines out of order", "qna.create", "mutation", () => fc.integer({ min: 2, max: 10_000_000 }).map((start) => ({ lessonId: own.lessonId, ref: { ...qnaRef(), lines: { start, end: start - 1 } }, content: "why?" })), ["BAD_REQUEST", "INVALID_RANGE"]],
    ["a line before line 1", "qna.create", "mutation", () => fc.constantFrom(0, -1).map((start) => ({ lessonId: own.lessonId, ref: { ...qnaRef(), lines: { start, end: 1 } }, content: "why?" })), INVALID_INPUT],
    ["access list one past its limit", "qna.create", "mutation", () => fc.constant({ lessonId: own.lessonId, ref: qnaRef(), acl: Array.from({ length: QNA_MAX_ACL + 1 }, (_, i) => i + 1), content: "why?" }), INVALID_INPUT],
    ["ref path past the byte limits", "qna.create", "mutation", () => badPath().map((path) => ({ lessonId: own.lessonId, ref: { ...qnaRef(), path }, content: "why?" })), INVALID_PATH],
    ["content too long, blank or with NUL", "qna.comment", "mutation", () => badQna.map((content) => ({ lessonId: own.lessonId, threadId: thread.id, content })), INVALID_INPUT],
    ["content too long, blank or with NUL", "qna.editComment", "mutation", () => badQna.map((content) => ({ lessonId: own.lessonId, commentId: thread.commentId, content })), INVALID_INPUT],
    ["page one past the largest", "qna.list", "query", () => fc.constant({ lessonId: own.lessonId, limit: QNA_LIST_MAX_LIMIT + 1 }), INVALID_INPUT],
  ];

  it.each(cases)("%s: %s is refused with its reason and changes nothing", async (_what, path, type, input, [code, appCode]) => {
    const before = await stateSnapshot();
    await fc.assert(
      fc.asyncProperty(input(), async (value) => {
        const { status, error } = await callAsStudent(path, type, value);
        expect(status, `${path} accepted ${JSON.stringify(value).slice(0, 200)}`).not.toBe(200);
        expect(KNOWN_CODES.has(error!.code)).toBe(true);
        expect(error).toMatchObject({ code, appCode });
      }),
      { numRuns: 6, seed: 20261129 },
    );
    expect(await stateSnapshot()).toEqual(before);
  });

  it("the limits are exact: a path of exactly the limits is valid (the file is just not there)", async () => {
    for (const path of [pathOfBytes(limits.pathBytes, limits.segmentBytes, "€"), fill(limits.segmentBytes, "é", utf8Bytes)]) {
      const { error } = await callAsStudent("files.read", "query", { ...own, path });
      expect(error).toMatchObject({ code: "NOT_FOUND", appCode: "FILE_NOT_FOUND" });
    }
  });
});
