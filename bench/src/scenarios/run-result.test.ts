import { describe, expect, it } from "vitest";
import { driverReport, encodedStages, streamResult } from "../testing/fixtures.js";
import { mergeStages } from "./run-result.js";

const event = (server: number) => ({ client: 0, toServer: 1, server, toReceiver: 1 });

describe("mergeStages", () => {
  it("adds the drivers' histograms stage by stage", () => {
    const merged = mergeStages([encodedStages([event(1), event(1)]), encodedStages([event(2)]), encodedStages([])]);
    expect(merged?.server).toMatchObject({ p50: 1, max: 2, count: 3 });
    expect(merged?.client).toMatchObject({ p50: 0, p99: 0, max: 0, count: 3 });
    expect(merged?.toServer).toMatchObject({ p50: 1, max: 1, count: 3 });
  });

  it("is undefined when no event carried stamps", () => {
    expect(mergeStages([])).toBeUndefined();
    expect(mergeStages([encodedStages([]), encodedStages([])])).toBeUndefined();
  });
});

describe("combineReports: stages", () => {
  it("summarizes the stamped events of every driver", () => {
    const reports = [driverReport(encodedStages([event(2)])), driverReport(), driverReport(encodedStages([event(1)]))];
    expect(streamResult("cohort", reports).stages?.server).toMatchObject({ max: 2, count: 2 });
  });

  it("leaves them out for a run without stamps", () => {
    expect(streamResult("ws", [driverReport(encodedStages([])), driverReport()]).stages).toBeUndefined();
  });
});
