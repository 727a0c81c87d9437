import { describe, expect, expectTypeOf, it } from "vitest";
import { DEFAULT_WEIGHTS, defaultScenario, EVENT_KINDS, zScenario, type EventKind, type Scenario } from "./scenario.js";

describe("zScenario", () => {
  it("defaults to the replaced system's mix at 2 events/s per client", () => {
    expect(defaultScenario).toEqual({
      ratePerClient: 2,
      weights: { cursor: 40, edit: 30, save: 10, open: 10, list: 7, comment: 2.5, question: 0.5 },
    });
    expect(Object.values(DEFAULT_WEIGHTS).reduce((a, b) => a + b)).toBe(100);
    expect(Object.keys(DEFAULT_WEIGHTS)).toEqual([...EVENT_KINDS]);
    expectTypeOf<Scenario["weights"]>().toEqualTypeOf<{ [K in EventKind]: number }>();
  });

  it.each([0, -1, 50.5, Number.NaN])("refuses ratePerClient %s", (ratePerClient) => {
    expect(zScenario.safeParse({ ratePerClient }).success).toBe(false);
  });

  it("accepts the limit of 50/s", () => {
    expect(zScenario.parse({ ratePerClient: 50 }).ratePerClient).toBe(50);
  });

  it("refuses negative weights, missing or misspelt kinds, and an all-zero mix", () => {
    const weights = { ...DEFAULT_WEIGHTS };
    expect(zScenario.safeParse({ weights: { ...weights, edit: -1 } }).success).toBe(false);
    const { question: _question, ...missing } = weights;
    expect(zScenario.safeParse({ weights: missing }).success).toBe(false);
    expect(zScenario.safeParse({ weights: { ...weights, questions: 1 } }).success).toBe(false);
    const zero = Object.fromEntries(EVENT_KINDS.map((k) => [k, 0]));
    expect(zScenario.safeParse({ weights: zero }).error?.issues[0]?.message).toMatch(/at least one weight/);
    expect(zScenario.parse({ weights: { ...zero, edit: 1 } }).weights.edit).toBe(1);
  });
});
