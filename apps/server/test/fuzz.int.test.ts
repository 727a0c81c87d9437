import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { appRouter } from "@cohort/api";
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
        const body = JSON.stringify(input === undefined ? null : input);
        const response =
          type === "query"
            ? await fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(body)}`, { headers: { authorization: `Bearer ${token}` } })
            : await fetch(`${server.url}/trpc/${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
        const text = await response.text();
        expect(text).not.toMatch(/\bat .*\.(ts|js):\d+|prisma|SELECT |stack/i);
        if (response.status === 200) return; // harmless (e.g. timeSync with any number)
        // Node refuses a query string too long for its header limit before tRPC sees it.
        if (response.status === 431 || response.status === 414) return;
        const error = (JSON.parse(text) as { error: { data: { code: string; appCode?: string } } }).error;
        expect(KNOWN_CODES.has(error.data.code), `${path} answered ${error.data.code}: ${text.slice(0, 300)}`).toBe(true);
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
