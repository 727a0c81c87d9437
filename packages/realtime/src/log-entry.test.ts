import { describe, expect, it } from "vitest";
import { parseLiveMessage, parseStreamEntry } from "./log-entry.js";

describe("parseLiveMessage", () => {
  it("splits id, prev and the JSON payload (which may contain spaces)", () => {
    expect(parseLiveMessage('5-1 5-0 {"type":"x","text":"a b c"}')).toEqual({
      id: "5-1",
      prev: "5-0",
      event: { type: "x", text: "a b c" },
    });
  });

  it("returns undefined for foreign messages", () => {
    expect(parseLiveMessage("hello")).toBeUndefined();
    expect(parseLiveMessage("1-0 0-0")).toBeUndefined();
    expect(parseLiveMessage("1-0 0-0 {not json")).toBeUndefined();
    expect(parseLiveMessage('x 0-0 {"type":"a"}')).toBeUndefined();
  });
});

describe("parseStreamEntry", () => {
  it("reads the prev and event fields", () => {
    expect(parseStreamEntry(["7-0", ["p", "6-3", "e", '{"n":1}']])).toEqual({ id: "7-0", prev: "6-3", event: { n: 1 } });
  });

  it("rejects entries written by someone else", () => {
    expect(() => parseStreamEntry(["7-0", ["field", "value"]])).toThrow(TypeError);
    expect(() => parseStreamEntry("7-0")).toThrow(TypeError);
  });
});
