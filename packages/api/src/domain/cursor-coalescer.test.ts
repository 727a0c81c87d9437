import { afterEach, describe, expect, it, vi } from "vitest";
import { CursorCoalescer } from "./cursor-coalescer.js";

afterEach(() => vi.useRealTimers());

describe("CursorCoalescer", () => {
  it("emits the first move at once and only the latest of a burst afterwards", () => {
    vi.useFakeTimers();
    const emitted: number[] = [];
    const c = new CursorCoalescer<number>(50);
    for (let i = 1; i <= 100; i++) c.offer("k", i, (v) => emitted.push(v), Date.now());
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
});
