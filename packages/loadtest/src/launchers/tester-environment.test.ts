import { describe, expect, it } from "vitest";
import { parseTesterEnvironment, testerEnvironment } from "./tester-environment.js";

const input = { testId: 3, serverUrl: "ws://localhost:4000/trpc", testToken: "tok", clients: 25 };

describe("tester environment", () => {
  it("round-trips one tester and a pool of candidates", () => {
    expect(parseTesterEnvironment(testerEnvironment({ ...input, testerIds: ["t1"] }))).toEqual({ ...input, testerIds: ["t1"] });
    const pool = testerEnvironment({ ...input, testerIds: ["t1", "t2"] });
    expect(pool.COHORT_TESTER_ID).toBeUndefined();
    expect(parseTesterEnvironment(pool).testerIds).toEqual(["t1", "t2"]);
  });

  it("lists every missing or bad variable", () => {
    expect(() => parseTesterEnvironment({ COHORT_TEST_ID: "zero", COHORT_CLIENTS: "3" })).toThrow(
      /COHORT_TEST_ID[\s\S]*COHORT_SERVER_URL[\s\S]*COHORT_TEST_TOKEN/,
    );
    const env = testerEnvironment({ ...input, testerIds: ["t1"] });
    const { COHORT_TESTER_ID: _one, COHORT_TESTER_IDS: _many, ...withoutIds } = env;
    expect(() => parseTesterEnvironment(withoutIds)).toThrow(/COHORT_TESTER_ID or COHORT_TESTER_IDS is required/);
  });
});
