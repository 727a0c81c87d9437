// A correctness check of the harness (not a timing assertion): the open-loop driver, in its own
// processes, against the raw ws relay and a real Cohort server, counts every message exactly once.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { decodeHistogram } from "@cohort/loadtest";
import { createDb, type Db } from "@cohort/db";
import { testEnv } from "@cohort/test-support";
import { encodeMarker, scanMarkers, type Marker } from "./driver/marker.js";
import { runStream } from "./scenarios/measure.js";
import { traffic } from "./scenarios/plan.js";
import type { RunResult } from "./scenarios/run-result.js";
import { fanoutTopology } from "./scenarios/topologies.js";
import { startBaseline } from "./systems/baseline-system.js";
import { startCohort } from "./systems/cohort-system.js";
import type { SystemUnderTest } from "./systems/topology.js";

const spec = traffic({ ratePerClient: 2, weights: { edit: 3, cursor: 1 }, durationMs: 3_000, seed: 3 });
const context = { drivers: 2, padBytes: 20 };

function expectExact(result: RunResult) {
  expect(result.sent).toBeGreaterThan(0);
  expect(result.loss).toBe(0);
  expect(result.duplicates).toBe(0);
  expect(result.unattributed).toBe(0);
  expect(result.sendErrors).toBe(0);
  // Cursor moves may be coalesced by design (Cohort); everything else must arrive.
  expect(result.delivered + result.coalesced).toBe(result.expected);
  expect(decodeHistogram(result.histogram!).totalCount).toBe(result.delivered);
  expect(result.latency.count).toBe(result.delivered);
}

describe("bench driver", () => {
  const started: SystemUnderTest[] = [];
  let db: Db | undefined;
  const blobDir = mkdtempSync(path.join(os.tmpdir(), "cohort-bench-test-"));
  afterAll(async () => {
    for (const system of started) await system.stop();
    await db?.$disconnect();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it("reads back the markers it writes", () => {
    const marker: Marker = { sender: 4, kind: "cursor", from: 2, to: 5, intendedAt: 1_764_400_000_123.25 };
    const found: Marker[] = [];
    expect(scanMarkers(`\u0000${encodeMarker(marker)}{"x":1}`, (m) => found.push(m))).toBe(1);
    expect(found).toEqual([marker]);
  });

  it("counts every delivery of the raw ws relay and of Cohort exactly once", async () => {
    const ws = await startBaseline({ name: "ws", redisUrl: testEnv().redisUrl, prefix: "unused", template: { files: 0, bytesPerFile: 0 } });
    started.push(ws);
    const wsResult = await runStream(ws, await ws.prepare(fanoutTopology(5)), { scenario: "test", traffic: spec, drainMs: 3_000, context });
    expectExact(wsResult);

    db = await createDb({ databaseUrl: testEnv().databaseUrl, poolSize: 2 });
    const cohort = await startCohort({ db, databaseUrl: testEnv().databaseUrl, redisUrl: testEnv().redisUrl, prefix: inject("redisPrefix"), blobDir });
    started.push(cohort);
    const cohortResult = await runStream(cohort, await cohort.prepare(fanoutTopology(5)), { scenario: "test", traffic: spec, drainMs: 3_000, context });
    expectExact(cohortResult);
  }, 60_000);
});
