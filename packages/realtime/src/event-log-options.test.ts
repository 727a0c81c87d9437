import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { eventLogDefaults, resolveEventLogOptions, type RedisEventLogOptions } from "./event-log-options.js";

const base: RedisEventLogOptions = {
  redis: {} as Redis,
  createSubscriber: () => ({}) as Redis,
  prefix: "cohort:",
};

describe("resolveEventLogOptions", () => {
  it("fills in the documented defaults", () => {
    const resolved = resolveEventLogOptions(base);
    expect(resolved).toMatchObject({ ...eventLogDefaults, maxAgeMs: undefined, prefix: "cohort:" });
  });

  it("keeps explicit values", () => {
    expect(resolveEventLogOptions({ ...base, maxLen: 50, maxAgeMs: 60_000 })).toMatchObject({ maxLen: 50, maxAgeMs: 60_000 });
  });

  it.each([
    { maxLen: 0 },
    { maxLen: 1.5 },
    { maxAgeMs: -1 },
    { maxBufferedPerSubscriber: 0 },
    { backfillPageSize: Number.NaN },
    { prefix: "{cohort}:" },
  ])("rejects %j", (bad) => {
    expect(() => resolveEventLogOptions({ ...base, ...bad })).toThrow(TypeError);
  });
});
