import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import type { LiveSecond, LoadTestEvent, LoadTestView } from "@cohort/api";
import { decodeHistogram, decodeReport, DEFAULT_WEIGHTS, mergeHistograms, percentiles } from "@cohort/loadtest";
import { closeAllClients, connectAdmin, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { waitFor } from "./support/wait-for.js";

type WatchEvent = { type: "snapshot"; test: LoadTestView } | LoadTestEvent | LiveSecond;

let server: StartedApp;
let course: SeededCourse;

beforeAll(async () => {
  server = await startTestApp({ LOADTEST_START_LEAD_MS: "1000", LOADTEST_SUPERVISE_MS: "250", LOADTEST_LOCAL_STDIO: "ignore" });
  course = await seedCourse(await testDb(), { students: 1, tag: "loadtest-run" });
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

/** A local test of this lesson against the test server, 5 s at `ratePerClient` with the default mix. */
function localTestInput(options: { clients: number; clientsPerTester: number; ratePerClient: number; targetParticipantId?: number }) {
  const { ratePerClient, ...rest } = options;
  return { lessonId: course.lessonId, serverUrl: server.wsUrl, launcher: "local" as const, scenario: { ratePerClient, weights: { ...DEFAULT_WEIGHTS } }, durationSec: 5, ...rest };
}

describe("a local load test, end to end", () => {
  it("runs 20 virtual clients in 2 tester processes and merges what they measured", async () => {
    const admin = connectAdmin(server.wsUrl);
    const created = await admin.api.loadtest.create.mutate(localTestInput({ clients: 20, clientsPerTester: 10, ratePerClient: 1, targetParticipantId: course.teacher.participantId }));
    expect(created).toMatchObject({ state: "created", clients: 20, testers: [{ testerId: "t0", clients: 10 }, { testerId: "t1", clients: 10 }] });

    const events: WatchEvent[] = [];
    const watch = admin.api.loadtest.watch.subscribe({ testId: created.id }, { onData: (data) => events.push(data as WatchEvent) });
    await waitFor(() => events.some((e) => e.type === "snapshot"), { what: "watch snapshot" });
    await admin.api.loadtest.start.mutate({ testId: created.id });
    const final = await waitFor(() => events.find((e) => e.type === "test" && ["done", "stopped", "failed"].includes(e.state)), {
      timeoutMs: 45_000,
      intervalMs: 200,
      what: "the test to end",
    });
    watch.unsubscribe();
    const test = await admin.api.loadtest.get.query({ testId: created.id });
    expect(final, JSON.stringify(test.testers)).toMatchObject({ state: "done" });
    expect(test.testers.map((t) => t.state), JSON.stringify(test.testers)).toEqual(["done", "done"]);

    // The watch showed testers coming up and live figures while it ran.
    const testerStates = events.flatMap((e) => (e.type === "tester" ? [e.state] : []));
    expect(testerStates).toEqual(expect.arrayContaining(["pending", "running", "done"]));
    expect(events.some((e) => e.type === "second" && e.acks > 0)).toBe(true);

    const results = await admin.api.loadtest.results.query({ testId: created.id });
    expect(results).toMatchObject({ final: true, state: "done", clients: 20, valid: expect.any(Boolean) });
    expect(results.testers.reported.sort()).toEqual(["t0", "t1"]);
    expect(results.testers.failed).toEqual([]);
    expect(results.counters.sent).toBeGreaterThan(30);
    expect(results.counters.acked).toBeGreaterThan(0);
    expect(results.errors.total, JSON.stringify(results.counters.byKind)).toBe(0);

    // Every first receipt was timed: the merged delivery histograms count exactly what the testers received.
    const deliveryKeys = Object.keys(results.histograms).filter((key) => key.endsWith(".delivery"));
    expect(deliveryKeys).toEqual(expect.arrayContaining(["edit.delivery", "cursor.delivery"]));
    const timedDeliveries = deliveryKeys.reduce((sum, key) => sum + decodeHistogram(results.histograms[key]!).totalCount, 0);
    expect(results.counters.delivered).toBeGreaterThan(0);
    expect(timedDeliveries).toBe(results.counters.delivered);
    expect(results.loss.delivered).toBe(results.counters.delivered);
    // Every watcher is owed every acknowledged edit of its tester's clients (the log resumes, so none should go missing).
    expect(results.loss.lossRate).toBeLessThan(0.05);

    // Percentiles are read from the histograms merged count by count: the same as merging the raw
    // reports ourselves, and ordered (the old system took them from unsorted samples).
    expect(results.reports.keys).toHaveLength(2);
    const reports = await Promise.all(results.reports.keys.map(async (key) => decodeReport(await server.app.blobs.get(key))));
    // Each tester says how exact its clock correction was (its delivery latencies are stamped with it).
    for (const report of reports) {
      expect(report.clock).toEqual({ offsetMs: expect.any(Number), uncertaintyMs: expect.any(Number), rttMs: expect.any(Number), samples: 8 });
      expect(report.clock?.uncertaintyMs).toBeGreaterThanOrEqual(0);
    }
    for (const row of results.latency) {
      const merged = mergeHistograms(reports.flatMap((r) => r.histograms[row.key] ?? []));
      const [p50, p90, p99, p999, max] = percentiles(merged, [50, 90, 99, 99.9, 100]).map((us) => us / 1000);
      expect(row).toMatchObject({ count: merged.totalCount, p50Ms: p50, p90Ms: p90, p99Ms: p99, p999Ms: p999, maxMs: max });
      expect(row.p50Ms).toBeLessThanOrEqual(row.p90Ms);
      expect(row.p90Ms).toBeLessThanOrEqual(row.p99Ms);
      expect(row.p99Ms).toBeLessThanOrEqual(row.p999Ms);
      expect(row.p999Ms).toBeLessThanOrEqual(row.maxMs);
    }
    const editAcks = results.latency.find((row) => row.key === "edit");
    expect(editAcks?.count).toBe(reports.reduce((sum, r) => sum + (r.counters.byKind.edit?.acked ?? 0), 0));
    expect(results.overTime.length).toBeGreaterThan(0);
    expect(results.overTime.reduce((sum, s) => sum + s.count, 0)).toBe(results.counters.acked);
  });

  it("an extension reaches running testers: they keep sending until the new end", async () => {
    const admin = connectAdmin(server.wsUrl);
    const created = await admin.api.loadtest.create.mutate(localTestInput({ clients: 4, clientsPerTester: 4, ratePerClient: 2 }));
    const events: WatchEvent[] = [];
    const watch = admin.api.loadtest.watch.subscribe({ testId: created.id }, { onData: (data) => events.push(data as WatchEvent) });
    await waitFor(() => events.some((e) => e.type === "snapshot"), { what: "watch snapshot" });
    await admin.api.loadtest.start.mutate({ testId: created.id });
    await waitFor(() => events.some((e) => e.type === "second" && e.acks > 0), { timeoutMs: 30_000, intervalMs: 100, what: "the testers to send" });
    const extended = await admin.api.loadtest.extend.mutate({ testId: created.id, addSec: 4 });
    expect(extended).toMatchObject({ state: "running", durationSec: 9 });
    await waitFor(() => events.find((e) => e.type === "test" && ["done", "stopped", "failed"].includes(e.state)), {
      timeoutMs: 45_000,
      intervalMs: 200,
      what: "the test to end",
    });
    watch.unsubscribe();
    const results = await admin.api.loadtest.results.query({ testId: created.id });
    expect(results.state).toBe("done");
    // The measured run lasted the extended 9 s, not the planned 5.
    expect(results.durationSec).toBeGreaterThan(8);
    // Seconds are counted from the start: acks in the 8th second (index 7) exist only if the
    // testers learnt of the new end; with the first end they stop sending after index 4.
    const lastSecond = Math.max(...results.overTime.filter((row) => row.count > 0).map((row) => row.second));
    expect(lastSecond).toBeGreaterThanOrEqual(7);
  });
});
