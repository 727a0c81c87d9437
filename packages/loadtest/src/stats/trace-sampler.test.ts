import { describe, expect, it } from "vitest";
import { TraceSampler, type TraceSample } from "./trace-sampler.js";

const sample = (i: number, ok: boolean): TraceSample => ({ kind: "edit", seq: i, intendedAt: i, sentAt: i, ackAt: i + 1, ok, ...(ok ? {} : { code: "TIMEOUT" }) });

describe("TraceSampler", () => {
  it("keeps everything while under the size, in time order", () => {
    const sampler = new TraceSampler({ size: 10 });
    for (const i of [5, 3, 4]) sampler.offer(sample(i, true));
    expect(sampler.samples().map((s) => s.seq)).toEqual([3, 4, 5]);
  });

  it("keeps at most `size`, spread over the whole run, and gives errors up to half the room", () => {
    const sampler = new TraceSampler({ size: 1_000 });
    for (let i = 0; i < 100_000; i++) sampler.offer(sample(i, i % 50 !== 0)); // 2 000 errors
    const kept = sampler.samples();
    expect(kept).toHaveLength(1_000);
    expect(kept.filter((s) => !s.ok)).toHaveLength(500);
    // Uniform over the run: about half the successes come from the second half.
    const late = kept.filter((s) => s.ok && s.intendedAt >= 50_000).length;
    expect(late).toBeGreaterThan(200);
    expect(late).toBeLessThan(300);
  });

  it("fills up with errors when there are few successes", () => {
    const sampler = new TraceSampler({ size: 10 });
    for (let i = 0; i < 3; i++) sampler.offer(sample(i, true));
    for (let i = 3; i < 30; i++) sampler.offer(sample(i, false));
    const kept = sampler.samples();
    expect(kept).toHaveLength(10);
    expect(kept.filter((s) => s.ok)).toHaveLength(3);
  });
});
