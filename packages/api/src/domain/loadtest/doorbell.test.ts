import { describe, expect, it } from "vitest";
import { doorbell } from "./doorbell.js";

function bell() {
  let ring: (() => void) | undefined;
  const iterator: AsyncIterator<unknown> = {
    next: () => new Promise((resolve) => (ring = () => resolve({ done: false, value: "ring" }))),
  };
  return { iterator, ring: () => ring?.() };
}

describe("doorbell", () => {
  it("wakes on a ring, on the poll interval, and stops on abort", async () => {
    const { iterator, ring } = bell();
    const controller = new AbortController();
    const wait = doorbell(iterator, { signal: controller.signal, pollMs: 10_000 });
    const first = wait();
    ring();
    await expect(first).resolves.toBe(true);
    const polled = doorbell(iterator, { signal: controller.signal, pollMs: 10 });
    await expect(polled()).resolves.toBe(true);
    const aborted = wait();
    controller.abort();
    await expect(aborted).resolves.toBe(false);
    await expect(wait()).resolves.toBe(false);
  });

  it("keeps polling once the subscription has ended", async () => {
    const ended: AsyncIterator<unknown> = { next: async () => ({ done: true, value: undefined }) };
    const wait = doorbell(ended, { signal: undefined, pollMs: 5 });
    for (let i = 0; i < 3; i++) await expect(wait()).resolves.toBe(true);
  });
});
