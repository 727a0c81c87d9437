import { describe, expect, it } from "vitest";
import { withHeartbeats } from "./with-heartbeats.js";

async function* source(items: string[], gapMs: number) {
  for (const item of items) {
    await new Promise((resolve) => setTimeout(resolve, gapMs));
    yield item;
  }
}

describe("withHeartbeats", () => {
  it("passes items through and adds a beat at the start and every interval", async () => {
    let beats = 0;
    const seen: string[] = [];
    for await (const next of withHeartbeats(source(["a", "b", "c"], 40), async () => [`beat${++beats}`], { everyMs: 50, signal: undefined })) {
      seen.push("item" in next ? next.item : next.beat);
    }
    expect(seen.filter((s) => !s.startsWith("beat"))).toEqual(["a", "b", "c"]);
    expect(seen[0]).toBe("beat1");
    expect(beats).toBeGreaterThanOrEqual(2);
  });

  it("ends when the signal aborts, even while the source is silent", async () => {
    const controller = new AbortController();
    const silent = (async function* () {
      await new Promise(() => {});
      yield "never";
    })();
    setTimeout(() => controller.abort(), 30);
    const seen: unknown[] = [];
    for await (const next of withHeartbeats(silent, async () => ["beat"], { everyMs: 10_000, signal: controller.signal })) seen.push(next);
    expect(seen).toEqual([{ beat: "beat" }]);
  });
});
