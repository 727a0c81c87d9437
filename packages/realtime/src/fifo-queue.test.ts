import { describe, expect, it } from "vitest";
import { FifoQueue } from "./fifo-queue.js";

describe("FifoQueue", () => {
  it("returns items in insertion order", () => {
    const queue = new FifoQueue<number>();
    for (let i = 0; i < 5_000; i++) queue.push(i);
    const out: number[] = [];
    for (let i = 0; i < 2_500; i++) out.push(queue.shift()!);
    for (let i = 5_000; i < 6_000; i++) queue.push(i);
    expect(queue.length).toBe(3_500);
    let next = queue.shift();
    while (next !== undefined) {
      out.push(next);
      next = queue.shift();
    }
    expect(out).toEqual(Array.from({ length: 6_000 }, (_, i) => i));
    expect(queue.length).toBe(0);
  });

  it("empties on clear", () => {
    const queue = new FifoQueue<string>();
    queue.push("a");
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });
});
