import { describe, expect, it } from "vitest";
import { KeyedSerialQueue } from "./keyed-serial-queue.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("KeyedSerialQueue", () => {
  it("runs tasks of one key one at a time, in call order", async () => {
    const queue = new KeyedSerialQueue<number>();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    await Promise.all([queue.run(1, task("a")), queue.run(1, task("b")), queue.run(1, task("c"))]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("runs different keys concurrently", async () => {
    const queue = new KeyedSerialQueue<number>();
    const log: string[] = [];
    await Promise.all(
      [1, 2].map((key) =>
        queue.run(key, async () => {
          log.push(`start ${key}`);
          await tick();
          log.push(`end ${key}`);
        }),
      ),
    );
    expect(log.slice(0, 2)).toEqual(["start 1", "start 2"]);
  });

  it("keeps going after a failure, and forgets idle keys", async () => {
    const queue = new KeyedSerialQueue<string>();
    const failed = queue.run("k", () => Promise.reject(new Error("boom")));
    const next = queue.run("k", () => Promise.resolve(42));
    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe(42);
    await tick();
    expect(queue.size).toBe(0);
  });
});
