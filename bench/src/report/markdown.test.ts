import { describe, expect, it } from "vitest";
import { benchPlan } from "../scenarios/plan.js";
import type { RunResult } from "../scenarios/run-result.js";
import { driverReport, encodedStages, streamResult } from "../testing/fixtures.js";
import type { BenchResults } from "./bench-results.js";
import { renderResults } from "./markdown.js";

function render(runs: RunResult[]): string {
  const results: BenchResults = {
    runId: "test",
    startedAt: "",
    finishedAt: "",
    mode: "quick",
    args: [],
    machine: { cpu: "cpu", cores: 2, memoryGb: 4, kernel: "Linux", node: "v22", commit: "abc" },
    systems: ["ws", "cohort"],
    plan: benchPlan(true),
    runs,
    saturation: {},
    micro: [],
    profiles: [],
    targets: [],
    failures: [],
  };
  return renderResults(results);
}

const TITLE = "Where Cohort's latency goes";
const stamped = [driverReport(encodedStages([{ client: 0, toServer: 0.5, server: 1.25, toReceiver: 2 }]))];

describe("renderResults: Cohort's latency stages", () => {
  it("renders one table of the stages under the scenario's table", () => {
    const markdown = render([streamResult("ws", [driverReport()]), streamResult("cohort", stamped)]);
    expect(markdown.split(TITLE)).toHaveLength(2);
    expect(markdown).toContain("| stage | p50 ms | p90 ms | p99 ms | max ms |");
    expect(markdown).toContain("| client (t1 − t0: generator and SDK before the push leaves) | 0.00 | 0.00 | 0.00 | 0.00 |");
    expect(markdown).toContain("| server (t3 − t2: the mutation, Redis round trips) | 1.25 | 1.25 | 1.25 | 1.25 |");
  });

  it("renders nothing when no run has stages", () => {
    expect(render([streamResult("ws", [driverReport()]), streamResult("cohort", [driverReport(encodedStages([]))])])).not.toContain(TITLE);
    // A baseline never gets a stage table, even if its result carried one.
    expect(render([streamResult("ws", stamped)])).not.toContain(TITLE);
  });
});
