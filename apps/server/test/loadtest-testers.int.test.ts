import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createCohortClient } from "@cohort/sdk";
import { seedCourse, type SeededCourse } from "@cohort/db";
import { DEFAULT_WEIGHTS, encodeReport, TesterStats, type TesterReport } from "@cohort/loadtest";
import { CloseCode } from "@cohort/api";
import { closeAllClients, connectAdmin, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { waitFor } from "./support/wait-for.js";
import { rawConnect } from "./support/raw-connect.js";
import { refusal } from "./support/classroom.js";
import { closeTesterClients, connectTester, fakeLauncher, postReport, withLauncher } from "./support/load-tests.js";

let server: StartedApp;
let course: SeededCourse;

beforeAll(async () => {
  server = await startTestApp({
    LOADTEST_START_LEAD_MS: "500",
    LOADTEST_SUPERVISE_MS: "250",
    LOADTEST_REPORT_GRACE_MS: "2000",
    LOADTEST_REGISTER_TIMEOUT_MS: "4000",
  });
  course = await seedCourse(await testDb(), { students: 1, tag: "loadtest-testers" });
});
afterAll(async () => {
  await closeTesterClients();
  await closeAllClients();
  await server.close();
});

/** A valid report of a tester that sent and acknowledged a few edits. */
function validReport(testId: number, testerId: string, startedAt: number): TesterReport {
  const stats = new TesterStats();
  for (let i = 0; i < 5; i++) {
    stats.recordSend("edit", startedAt + i * 100, startedAt + i * 100);
    stats.recordAck("edit", startedAt + i * 100, startedAt + i * 100 + 3 + i);
  }
  const { perSecond, perSecondDropped } = stats.perSecond();
  return {
    testId,
    testerId,
    clients: 1,
    startedAt,
    endedAt: startedAt + 5_000,
    stopReason: "completed",
    histograms: stats.histograms(),
    perSecond,
    perSecondDropped,
    counters: stats.counters(),
    process: { cpuPct: [3], lagP99Ms: [0.2], overallLagP99Ms: 0.2, saturated: false },
    sampledTraces: [],
  };
}

async function createTest(clients: number) {
  const admin = connectAdmin(server.wsUrl);
  return admin.api.loadtest.create.mutate({
    lessonId: course.lessonId,
    serverUrl: server.wsUrl,
    clients,
    clientsPerTester: 1,
    launcher: "local",
    scenario: { ratePerClient: 1, weights: { ...DEFAULT_WEIGHTS } },
    durationSec: 5,
  });
}

describe("testers", () => {
  it("shows a tester whose report is corrupt, and one whose report never comes, as failed", async () => {
    const admin = connectAdmin(server.wsUrl);
    const fake = fakeLauncher();
    await withLauncher(server, fake.launcher, async () => {
      const test = await createTest(3);
      await admin.api.loadtest.start.mutate({ testId: test.id });
      const { testToken } = fake.requests[0]!;
      expect(fake.requests[0]!.testers.map((t) => t.testerId)).toEqual(["t0", "t1", "t2"]);

      const tester = connectTester(server.wsUrl, test.id, testToken);
      const registered = await Promise.all(["t0", "t1", "t2"].map((testerId) => tester.api.tester.register.mutate({ testId: test.id, testerId })));
      expect(registered[1]).toMatchObject({ testerId: "t1", lessonId: course.lessonId, targetParticipantId: null, accounts: [{ slot: 1 }] });
      // A claim is atomic: the same id cannot be taken twice.
      expect(await refusal(tester.api.tester.register.mutate({ testId: test.id, testerId: "t0" }))).toMatchObject({ code: "CONFLICT", appCode: "TESTER_TAKEN" });

      const starts: { type: string; startAt?: number; endAt?: number }[] = [];
      for (const testerId of ["t0", "t1", "t2"]) {
        tester.api.tester.awaitStart.subscribe({ testId: test.id, testerId }, { onData: (event) => starts.push(event) });
      }
      await waitFor(() => starts.filter((e) => e.type === "start").length === 3, { what: "every tester told the start" });
      const start = starts.find((e) => e.type === "start")!;
      expect(new Set(starts.filter((e) => e.type === "start").map((e) => e.startAt)).size).toBe(1);
      expect(start.endAt! - start.startAt!).toBe(5_000);

      const good = await postReport(server.url, { testId: test.id, testerId: "t0", token: testToken, body: encodeReport(validReport(test.id, "t0", start.startAt!)) });
      expect(good).toMatchObject({ status: 200, body: { reportKey: expect.stringContaining(`loadtests/${test.id}/`) } });
      const corrupt = await postReport(server.url, { testId: test.id, testerId: "t1", token: testToken, body: Buffer.from("definitely not gzip") });
      expect(corrupt).toMatchObject({ status: 400, body: { error: { appCode: "REPORT_INVALID" } } });
      // A tester marked failed cannot report afterwards, even a valid report: it stays failed.
      const again = await postReport(server.url, { testId: test.id, testerId: "t1", token: testToken, body: encodeReport(validReport(test.id, "t0", start.startAt!)) });
      expect(again.status).toBe(409);

      // t2 never reports: once the end plus the grace period is over, it is failed, not forgotten.
      const ended = await waitFor(
        async () => {
          const current = await admin.api.loadtest.get.query({ testId: test.id });
          return current.state === "done" ? current : null;
        },
        { timeoutMs: 20_000, intervalMs: 200, what: "the test to end" },
      );
      expect(ended.testers.map((t) => [t.testerId, t.state])).toEqual([["t0", "done"], ["t1", "failed"], ["t2", "failed"]]);
      expect(ended.testers[1]!.error).toMatch(/Corrupt report: tester report is not valid gzip/);
      expect(ended.testers[2]!.error).toMatch(/No report within 2 s of the end/);

      const results = await admin.api.loadtest.results.query({ testId: test.id });
      expect(results).toMatchObject({ final: true, valid: false, testers: { total: 3, reported: ["t0"] } });
      expect(results.testers.failed.map((f) => f.testerId)).toEqual(["t1", "t2"]);
      expect(results.latency.find((r) => r.key === "edit")).toMatchObject({ count: 5, p50Ms: expect.any(Number) });
      expect(results.warnings.join(" ")).toMatch(/2 of 3 testers failed/);
      // Done testers are told to stop through the launcher too.
      await waitFor(() => fake.stopped.length >= 3, { what: "launcher stop" });

      // The test is over: its token no longer opens a connection.
      const closed = await rawConnect(server.wsUrl, { testToken, testId: String(test.id) });
      expect(closed.code).toBe(CloseCode.Unauthorized);
    });
  });

  it("starts without a tester that never registers, and shows it as failed", async () => {
    const admin = connectAdmin(server.wsUrl);
    const fake = fakeLauncher();
    await withLauncher(server, fake.launcher, async () => {
      const test = await createTest(2);
      await admin.api.loadtest.start.mutate({ testId: test.id });
      const tester = connectTester(server.wsUrl, test.id, fake.requests[0]!.testToken);
      await tester.api.tester.register.mutate({ testId: test.id, testerId: "t0" });
      const events: { type: string }[] = [];
      tester.api.tester.awaitStart.subscribe({ testId: test.id, testerId: "t0" }, { onData: (event) => events.push(event) });
      await waitFor(async () => (await admin.api.loadtest.get.query({ testId: test.id })).testers[0]?.state === "pending", { what: "t0 pending" });
      // t1 never shows up: after the registration timeout the test starts with t0 alone.
      await waitFor(() => events.some((e) => e.type === "start"), { timeoutMs: 15_000, what: "the start" });
      const started = await admin.api.loadtest.get.query({ testId: test.id });
      expect(started.state).toBe("running");
      expect(started.testers[1]).toMatchObject({ state: "failed", error: expect.stringMatching(/Did not register and get ready within 4 s/) });
      await admin.api.loadtest.stop.mutate({ testId: test.id });
      await waitFor(() => events.some((e) => e.type === "stop"), { what: "t0 told to stop" });
    });
  });

  it("refuses a wrong test token at the connection and at the report upload", async () => {
    const admin = connectAdmin(server.wsUrl);
    const fake = fakeLauncher();
    await withLauncher(server, fake.launcher, async () => {
      const test = await createTest(1);
      await admin.api.loadtest.start.mutate({ testId: test.id });
      const { testToken } = fake.requests[0]!;
      const wrong = await rawConnect(server.wsUrl, { testToken: `${testToken}x`, testId: String(test.id) });
      expect(wrong.code).toBe(CloseCode.Unauthorized);
      expect(wrong.reason).toMatch(/^BAD_TEST_TOKEN/);
      const otherTest = await rawConnect(server.wsUrl, { testToken, testId: String(test.id + 1000) });
      expect(otherTest.reason).toMatch(/^BAD_TEST_TOKEN/);
      // The right token, but a user that is not one of this test's tester accounts.
      const notAnAccount = await rawConnect(server.wsUrl, { testToken, testId: String(test.id), asUserId: String(course.teacher.userId) });
      expect(notAnAccount.reason).toMatch(/^BAD_TEST_TOKEN/);

      const upload = await postReport(server.url, { testId: test.id, testerId: "t0", token: "guess", body: Buffer.from("x") });
      expect(upload).toMatchObject({ status: 401, body: { error: { appCode: "BAD_TEST_TOKEN" } } });

      // The right token opens a tester connection, which is neither an admin nor a user.
      const tester = connectTester(server.wsUrl, test.id, testToken);
      expect(await refusal(tester.api.loadtest.list.query())).toMatchObject({ code: "FORBIDDEN", appCode: "NOT_ADMIN" });
      expect(await refusal(tester.api.files.list.query({ lessonId: course.lessonId, ownerId: course.teacher.participantId }))).toMatchObject({
        code: "FORBIDDEN",
        appCode: "NOT_A_USER",
      });
      expect(await refusal(tester.api.tester.register.mutate({ testId: test.id + 1, testerId: "t0" }))).toMatchObject({ appCode: "NOT_A_TESTER" });
      // A virtual client acts as its account: an ordinary user to every other procedure.
      const { accounts } = await tester.api.tester.register.mutate({ testId: test.id, testerId: "t0" });
      const account = accounts[0]!;
      const virtual = createCohortClient({ url: server.wsUrl, tester: { testId: test.id, testToken, asUserId: account.userId }, WebSocket });
      try {
        await expect(virtual.api.session.me.query()).resolves.toEqual({ userId: account.userId, isAdmin: false });
        await expect(virtual.api.lesson.join.mutate({ lessonId: course.lessonId })).resolves.toMatchObject({ participant: { id: account.participantId, role: "STUDENT" } });
      } finally {
        await virtual.close();
      }
      await admin.api.loadtest.stop.mutate({ testId: test.id });
    });
  });
});
