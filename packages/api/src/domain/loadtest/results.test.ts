import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeReport, TesterStats, type ProcessStats, type TesterReport } from "@cohort/loadtest";
import { LocalBlobStore } from "@cohort/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildResults } from "./results.js";
import { loadTestBlobs } from "./topics.js";
import type { LoadTestRow } from "./view.js";

const idle: ProcessStats = { cpuPct: [5, 6, 7, 5, 6], lagP99Ms: [0.5, 0.4, 0.6, 0.5, 0.4], overallLagP99Ms: 0.6, saturated: false };

function report(testerId: string, process: ProcessStats): TesterReport {
  const stats = new TesterStats();
  const startedAt = 1_700_000_000_000;
  stats.recordSend("edit", startedAt, startedAt);
  stats.recordAck("edit", startedAt, startedAt + 3);
  return {
    testId: 7,
    testerId,
    clients: 10,
    startedAt,
    endedAt: startedAt + 5_000,
    stopReason: "completed",
    histograms: stats.histograms(),
    ...stats.perSecond(),
    counters: stats.counters(),
    process,
    sampledTraces: [],
  };
}

let dir: string;
let blobs: LocalBlobStore;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cohort-results-"));
  blobs = new LocalBlobStore({ dir });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Stores the reports as testers upload them, and builds the results of a test whose testers all finished. */
async function resultsOf(reports: TesterReport[]) {
  const testers = await Promise.all(
    reports.map(async (r, index) => {
      const reportKey = loadTestBlobs.report(7, r.testerId);
      await blobs.put(reportKey, encodeReport(r));
      return { id: index + 1, loadTestId: 7, index, clients: 10, state: "DONE", taskArn: null, pid: null, registeredAt: null, reportKey, report: null, error: null, createdAt: new Date() };
    }),
  );
  const test = { id: 7, clients: 20, state: "DONE", testers } as unknown as LoadTestRow;
  return buildResults({ blobs, test, final: true });
}

describe("buildResults validity", () => {
  it("is valid when every tester reported and none was saturated", async () => {
    const results = await resultsOf([report("t0", idle), report("t1", idle)]);
    expect(results.testers.saturated).toEqual([]);
    expect(results.valid).toBe(true);
  });

  it("is invalid when a tester's CPU figures exceed the threshold, even if the tester did not say so", async () => {
    // 3 of 5 samples above 90 % of a core: more than the 20 % allowed.
    const busy = { ...idle, cpuPct: [95, 97, 99, 20, 10] };
    const results = await resultsOf([report("t0", idle), report("t1", busy)]);
    expect(results.testers.saturated).toEqual([{ testerId: "t1", reason: "CPU above 90% of a core in 3 of 5 samples" }]);
    expect(results.valid).toBe(false);
    expect(results.warnings).toContain("saturated testers (t1) could not keep their schedule");
  });

  it("is invalid when a tester's event loop lagged past the threshold (whole-run p99, else the worst sample)", async () => {
    const lagging = await resultsOf([report("t0", { ...idle, overallLagP99Ms: 80 })]);
    expect(lagging.testers.saturated).toEqual([{ testerId: "t0", reason: "event-loop delay p99 80.0 ms above 50 ms" }]);
    expect(lagging.valid).toBe(false);
    const { overallLagP99Ms: _, ...withoutOverall } = { ...idle, lagP99Ms: [0.5, 120, 0.4] };
    const older = await resultsOf([report("t0", withoutOverall)]);
    expect(older.valid).toBe(false);
  });

  it("is invalid when a tester said it was saturated", async () => {
    const results = await resultsOf([report("t0", { ...idle, saturated: true, reason: "busy" })]);
    expect(results.testers.saturated).toEqual([{ testerId: "t0", reason: "busy" }]);
    expect(results.valid).toBe(false);
  });
});
