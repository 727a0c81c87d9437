import { describe, expect, it } from "vitest";
import { compareStreamIds, isStreamId, normalizeStreamId } from "./stream-id.js";

describe("compareStreamIds", () => {
  it("orders by milliseconds, then by sequence", () => {
    expect(compareStreamIds("1-0", "2-0")).toBeLessThan(0);
    expect(compareStreamIds("2-0", "1-9")).toBeGreaterThan(0);
    expect(compareStreamIds("5-2", "5-10")).toBeLessThan(0);
    expect(compareStreamIds("5-10", "5-10")).toBe(0);
  });

  it("compares numerically, not lexically", () => {
    expect(compareStreamIds("9-0", "10-0")).toBeLessThan(0);
    expect(compareStreamIds("1700000000000-9", "1700000000000-10")).toBeLessThan(0);
  });

  it("handles values beyond Number.MAX_SAFE_INTEGER", () => {
    expect(compareStreamIds("9007199254740993-0", "9007199254740992-0")).toBeGreaterThan(0);
    expect(compareStreamIds("18446744073709551615-18446744073709551615", "18446744073709551615-18446744073709551614")).toBeGreaterThan(0);
  });

  it("ignores leading zeros", () => {
    expect(compareStreamIds("007-01", "7-1")).toBe(0);
  });

  it("throws a TypeError on malformed ids", () => {
    expect(() => compareStreamIds("1", "1-0")).toThrow(TypeError);
    expect(() => compareStreamIds("1-0", "$")).toThrow(TypeError);
    expect(() => compareStreamIds("18446744073709551616-0", "1-0")).toThrow(TypeError);
  });
});

describe("isStreamId", () => {
  it.each(["0-0", "1-0", "1700000000000-3", "18446744073709551615-0"])("accepts %s", (id) => {
    expect(isStreamId(id)).toBe(true);
  });

  it.each(["", "$", "+", "-", "1", "1-", "-1", "1-2-3", "a-b", " 1-0", "1-0 ", "1.5-0", "18446744073709551616-0", 12])(
    "rejects %j",
    (id) => {
      expect(isStreamId(id)).toBe(false);
    },
  );
});

describe("normalizeStreamId", () => {
  it("strips leading zeros and rejects what is not an id", () => {
    expect(normalizeStreamId("00012-000")).toBe("12-0");
    expect(normalizeStreamId("12-3")).toBe("12-3");
    expect(normalizeStreamId("12")).toBeUndefined();
  });
});
