import { afterEach, describe, expect, it, vi } from "vitest";
import { CursorCoalescer } from "./cursor-coalescer.js";

afterEach(() => vi.useRealTimers());

describe("CursorCoalescer", () => {
  it("emits the first move at once and only the latest of a burst afterwards", () => {
    vi.useFakeTimers();
    const emitted: number[] = [];
    const c = new CursorCoalescer<number>(50);
    for (let i = 1; i <= 100; i++) c.offer("k", i, (v) => emitted.push(v));
    expect(emitted).toEqual([1]);
    vi.advanceTimersByTime(50);
    expect(emitted).toEqual([1, 100]);
    vi.advanceTimersByTime(500);
    expect(emitted).toEqual([1, 100]);
    expect(c.size).toBe(0);
  });

  it("keeps keys independent", () => {
    vi.useFakeTimers();
    const emitted: string[] = [];
    const c = new CursorCoalescer<string>(50);
    c.offer("a", "a1", (v) => emitted.push(v));
    c.offer("b", "b1", (v) => emitted.push(v));
    expect(emitted).toEqual(["a1", "b1"]);
    c.close();
  });

  it("forgets a key after a quiet interval, also when it only ever emitted at once", () => {
    vi.useFakeTimers();
    const emitted: number[] = [];
    const c = new CursorCoalescer<number>(50);
    for (let i = 1; i <= 5; i++) {
      expect(c.offer("k", i, (v) => emitted.push(v))).toBe(true); // one move per 60 ms: each at once
      vi.advanceTimersByTime(60);
      expect(c.size).toBe(0);
    }
    expect(emitted).toEqual([1, 2, 3, 4, 5]);
  });

  it("takeTurn: the caller emits a due move itself; moves inside the interval are deferred as usual", () => {
    vi.useFakeTimers();
    const emitted: number[] = [];
    const c = new CursorCoalescer<number>(50);
    expect(c.takeTurn("k")).toBe(true);
    expect(c.takeTurn("k")).toBe(false); // within the interval: not due, nothing changed
    expect(c.offer("k", 2, (v) => emitted.push(v))).toBe(false);
    expect(c.offer("k", 3, (v) => emitted.push(v))).toBe(false);
    vi.advanceTimersByTime(50);
    expect(emitted).toEqual([3]);
    expect(c.takeTurn("k")).toBe(false); // 3 was just emitted
    vi.advanceTimersByTime(50);
    expect(c.size).toBe(0);
    expect(c.takeTurn("k")).toBe(true);
    c.close();
  });
});
