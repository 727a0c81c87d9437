import { describe, expect, it } from "vitest";
import { stampEmit, stampReceive } from "./trace.js";

describe("trace stamps", () => {
  it("adds t2 on receive, and nothing to untraced calls", () => {
    expect(stampReceive({ id: "x", t1: 5 }, 9)).toEqual({ id: "x", t1: 5, t2: 9 });
    expect(stampReceive(undefined, 9)).toBeUndefined();
  });

  it("stamps t3 on a copy, shared by the subscribers served in the same millisecond", () => {
    const event: { type: string; trace?: { id: string; t1: number; t2: number; t3?: number } } = { type: "edit", trace: { id: "x", t1: 1, t2: 2 } };
    let clock = 10;
    const now = () => clock;
    const a = stampEmit(event, now);
    const b = stampEmit(event, now);
    expect(a).toEqual({ type: "edit", trace: { id: "x", t1: 1, t2: 2, t3: 10 } });
    expect(b).toBe(a);
    expect(event.trace).toEqual({ id: "x", t1: 1, t2: 2 }); // the shared original is untouched
    clock = 11;
    const c = stampEmit(event, now);
    expect(c).not.toBe(a);
    expect(c.trace?.t3).toBe(11);
    expect(a.trace?.t3).toBe(10);
  });

  it("passes untraced events through as they are", () => {
    const event: { type: string; trace?: object } = { type: "cursor" };
    expect(stampEmit(event, () => 1)).toBe(event);
  });
});
