import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import { DEFAULT_WEIGHTS, type Launcher } from "@cohort/loadtest";
import { closeAllClients, connectAdmin, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { refusal } from "./support/classroom.js";
import { fakeLauncher, withLauncher } from "./support/load-tests.js";
import { waitFor } from "./support/wait-for.js";

let server: StartedApp;
let course: SeededCourse;

beforeAll(async () => {
  server = await startTestApp({ LOADTEST_SUPERVISE_MS: "250" });
  course = await seedCourse(await testDb(), { students: 2, tag: "loadtest-admin" });
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

const createInput = (overrides: Record<string, unknown> = {}) => ({
  lessonId: course.lessonId,
  serverUrl: server.wsUrl,
  clients: 3,
  launcher: "local" as const,
  scenario: { ratePerClient: 1, weights: { ...DEFAULT_WEIGHTS } },
  durationSec: 30,
  ...overrides,
});

describe("load-test administration", () => {
  it("refuses non-admins (FORBIDDEN NOT_ADMIN) and anonymous callers", async () => {
    const student = await connectUser(server.wsUrl, course.students[0]!.userId);
    const calls: [string, Promise<unknown>][] = [
      ["loadtest.create", student.api.loadtest.create.mutate(createInput())],
      ["loadtest.start", student.api.loadtest.start.mutate({ testId: 1 })],
      ["loadtest.extend", student.api.loadtest.extend.mutate({ testId: 1, addSec: 10 })],
      ["loadtest.stop", student.api.loadtest.stop.mutate({ testId: 1 })],
      ["loadtest.delete", student.api.loadtest.delete.mutate({ testId: 1 })],
      ["loadtest.list", student.api.loadtest.list.query()],
      ["loadtest.get", student.api.loadtest.get.query({ testId: 1 })],
      ["loadtest.results", student.api.loadtest.results.query({ testId: 1 })],
      ["lesson.list", student.api.lesson.list.query()],
      [
        "loadtest.watch",
        new Promise((resolve, reject) => student.api.loadtest.watch.subscribe({ testId: 1 }, { onData: resolve, onError: reject })),
      ],
    ];
    // Every refusal is taken at once: awaited one by one, a later call's rejection would be unhandled meanwhile.
    const refusals = await Promise.all(calls.map(([, call]) => refusal(call)));
    calls.forEach(([name], i) => expect(refusals[i], name).toMatchObject({ code: "FORBIDDEN", appCode: "NOT_ADMIN" }));
    // Over HTTP without credentials nothing runs at all.
    const anonymous = await fetch(`${server.url}/trpc/loadtest.list`);
    expect(anonymous.status).toBe(401);
    const withKey = await fetch(`${server.url}/trpc/loadtest.list`, { headers: { "x-admin-key": "test-admin-key-0123456789" } });
    expect(withKey.status).toBe(200);
  });

  it("lists lessons with their course, participants and who is online", async () => {
    const admin = connectAdmin(server.wsUrl);
    const lessons = await admin.api.lesson.list.query();
    expect(lessons.find((l) => l.id === course.lessonId)).toEqual({
      id: course.lessonId,
      name: "Lesson 1 loadtest-admin",
      courseId: course.courseId,
      courseName: "Course loadtest-admin",
      active: true,
      participants: 3,
      testerAccounts: expect.any(Number),
      online: 0,
    });
  });

  it("creates tester accounts, reuses them on a rerun, gives them the target's project, and deletes them with the last test", async () => {
    const admin = connectAdmin(server.wsUrl);
    const db = await testDb();
    const target = course.students[0]!.participantId;
    const first = await admin.api.loadtest.create.mutate(createInput({ clients: 3, clientsPerTester: 2, targetParticipantId: target }));
    expect(first).toMatchObject({ state: "created", clients: 3, clientsPerTester: 2, targetParticipantId: target });
    expect(first.testers.map((t) => [t.testerId, t.clients, t.state])).toEqual([["t0", 2, "launching"], ["t1", 1, "launching"]]);
    const accountsOf = async (testId: number) =>
      (await db.loadTestAccount.findMany({ where: { loadTestId: testId }, orderBy: { slot: "asc" }, include: { participant: { include: { user: true } } } })).map(
        (a) => a.participant,
      );
    const firstAccounts = await accountsOf(first.id);
    expect(firstAccounts).toHaveLength(3);
    expect(firstAccounts.every((p) => p.user.isTester && p.role === "STUDENT" && p.courseId === course.courseId)).toBe(true);
    const project = await db.project.findUniqueOrThrow({ where: { lessonId_ownerId: { lessonId: course.lessonId, ownerId: target } }, include: { grants: true } });
    expect(project.grants.filter((g) => firstAccounts.some((a) => a.id === g.viewerId)).map((g) => g.permission)).toEqual([6, 6, 6]);

    const rerun = await admin.api.loadtest.create.mutate(createInput({ clients: 4, targetParticipantId: target }));
    const rerunAccounts = await accountsOf(rerun.id);
    expect(rerunAccounts.slice(0, 3).map((p) => p.id)).toEqual(firstAccounts.map((p) => p.id));
    expect(rerunAccounts).toHaveLength(4);

    await expect(admin.api.loadtest.delete.mutate({ testId: first.id })).resolves.toMatchObject({ ok: true, deletedAccounts: 0 });
    expect(await refusal(admin.api.loadtest.get.query({ testId: first.id }))).toMatchObject({ code: "NOT_FOUND", appCode: "TEST_NOT_FOUND" });
    await expect(admin.api.loadtest.delete.mutate({ testId: rerun.id })).resolves.toMatchObject({ ok: true, deletedAccounts: 4 });
    expect(await db.user.count({ where: { id: { in: rerunAccounts.map((p) => p.userId) } } })).toBe(0);
  });

  it("runs one test per lesson at a time, extends and stops", async () => {
    const admin = connectAdmin(server.wsUrl);
    const fake = fakeLauncher();
    await withLauncher(server, fake.launcher, async () => {
      const running = await admin.api.loadtest.create.mutate(createInput());
      const waiting = await admin.api.loadtest.create.mutate(createInput());
      await expect(admin.api.loadtest.start.mutate({ testId: running.id })).resolves.toMatchObject({ state: "launching" });
      expect(await refusal(admin.api.loadtest.start.mutate({ testId: waiting.id }))).toMatchObject({ code: "CONFLICT", appCode: "TEST_ALREADY_RUNNING" });
      expect(await refusal(admin.api.loadtest.start.mutate({ testId: running.id }))).toMatchObject({ appCode: "WRONG_TEST_STATE" });

      await expect(admin.api.loadtest.extend.mutate({ testId: running.id, addSec: 15 })).resolves.toMatchObject({ durationSec: 45 });
      // Stopped before its testers were ready: it ends at once; nothing was measured.
      const stopped = await admin.api.loadtest.stop.mutate({ testId: running.id });
      expect(stopped.state).toBe("stopped");
      expect(stopped.testers.every((t) => t.state === "failed" && t.error === "Stopped before the start")).toBe(true);
      expect(await refusal(admin.api.loadtest.extend.mutate({ testId: running.id, addSec: 5 }))).toMatchObject({ appCode: "WRONG_TEST_STATE" });
      await expect(admin.api.loadtest.start.mutate({ testId: waiting.id })).resolves.toMatchObject({ state: "launching" });
      await admin.api.loadtest.stop.mutate({ testId: waiting.id });

      const list = await admin.api.loadtest.list.query({ lessonId: course.lessonId });
      expect(list.map((t) => t.id)).toEqual(expect.arrayContaining([running.id, waiting.id]));
    });
  });

  it("fails a local tester at once when its process dies without a report", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cohort-crashing-tester-"));
    const script = path.join(dir, "crash.mjs");
    writeFileSync(script, "process.exit(3);\n");
    const crashing = await startTestApp({ LOADTEST_TESTER_SCRIPT: script, LOADTEST_LOCAL_STDIO: "ignore" });
    try {
      const admin = connectAdmin(crashing.wsUrl);
      const test = await admin.api.loadtest.create.mutate(createInput({ clients: 1, serverUrl: crashing.wsUrl }));
      await admin.api.loadtest.start.mutate({ testId: test.id });
      const failed = await waitFor(
        async () => {
          const current = await admin.api.loadtest.get.query({ testId: test.id });
          return current.state === "failed" ? current : null;
        },
        { timeoutMs: 20_000, intervalMs: 100, what: "the test to fail" },
      );
      expect(failed.testers[0]).toMatchObject({ state: "failed", error: "The tester process exited with code 3 without a report" });
      expect(failed.error).toBe("No tester delivered a report");
    } finally {
      await crashing.close();
    }
  });

  it("shows why testers could not be launched", async () => {
    const admin = connectAdmin(server.wsUrl);
    const broken: Launcher = {
      launch: async () => {
        throw new Error("ECS could not start tester tasks: Capacity is unavailable at this time");
      },
      stop: async () => undefined,
    };
    await withLauncher(server, broken, async () => {
      const test = await admin.api.loadtest.create.mutate(createInput());
      expect(await refusal(admin.api.loadtest.start.mutate({ testId: test.id }))).toMatchObject({
        appCode: "LAUNCH_FAILED",
        message: expect.stringContaining("Capacity is unavailable"),
      });
      const failed = await admin.api.loadtest.get.query({ testId: test.id });
      expect(failed).toMatchObject({ state: "failed", error: expect.stringContaining("Capacity is unavailable") });
      expect(failed.testers.every((t) => t.state === "failed")).toBe(true);
    });
    expect(await refusal(admin.api.loadtest.create.mutate(createInput({ launcher: "ecs" })))).toMatchObject({ appCode: "LAUNCHER_UNAVAILABLE" });
    expect(await refusal(admin.api.loadtest.create.mutate(createInput({ clients: 2001 })))).toMatchObject({ code: "BAD_REQUEST" });
  });
});
