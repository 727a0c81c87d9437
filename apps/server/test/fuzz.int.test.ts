import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appRouter } from "@cohort/api";
import { testEnv } from "@cohort/test-support";
import { closeAllClients, startTestApp, tokenFor, type StartedApp } from "./support/test-app.js";
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

beforeAll(async () => {
  server = await startTestApp({ RATE_LIMIT_CONNECTION_PER_SEC: "100000", RATE_LIMIT_CONNECTION_BURST: "100000", RATE_LIMIT_USER_PER_SEC: "100000", RATE_LIMIT_USER_BURST: "100000" });
  room = await classroom(server.wsUrl, { students: 2, tag: "fuzz" });
  const s = room.students[0]!;
  await s.client.api.files.create.mutate({ lessonId: room.lessonId, ownerId: s.participantId, path: "main.py", type: "file", content: "x = 1\n" });
  token = await tokenFor(s.userId);
  redis = new Redis(testEnv().redisUrl);
});
afterAll(async () => {
  redis.disconnect();
  await closeAllClients();
  await server.close();
});

/**
 * The rows of this test's course and lesson, and its project keys in Redis: the state that must
 * not change. (Scoped to this course, because other test files write to the database meanwhile.)
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
  return { counts, files, metas };
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
