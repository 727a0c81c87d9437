import { describe, expect, it } from "vitest";
import type { LogItem } from "../ports.js";
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, splitIntoBatches, takeBatch } from "./take-batch.js";

function queue(items: LogItem[]) {
  let taken = 0;
  return { takeBuffered: () => items[taken++], get taken() { return taken; } };
}

const item = (n: number, update?: string): LogItem => ({ id: `${n}-0`, event: { type: "edit", update } });

describe("takeBatch", () => {
  it("takes the first item alone when nothing is queued", () => {
    expect(takeBatch(item(1), queue([]))).toEqual([item(1)]);
  });

  it("takes everything queued, in order", () => {
    expect(takeBatch(item(1), queue([item(2), item(3)])).map((i) => i.id)).toEqual(["1-0", "2-0", "3-0"]);
  });

  it("stops at the most events in one batch and leaves the rest queued", () => {
    const rest = Array.from({ length: MAX_BATCH_EVENTS + 10 }, (_, n) => item(n + 2));
    const source = queue(rest);
    expect(takeBatch(item(1), source)).toHaveLength(MAX_BATCH_EVENTS);
    expect(source.taken).toBe(MAX_BATCH_EVENTS - 1);
  });

  it("stops once the batch holds about the most bytes", () => {
    const big = "x".repeat(MAX_BATCH_BYTES / 4);
    const batch = takeBatch(item(1, big), queue(Array.from({ length: 10 }, (_, n) => item(n + 2, big))));
    expect(batch).toHaveLength(4);
  });
});

describe("splitIntoBatches", () => {
  it("cuts a long run into batches of at most the most events, in order, losing nothing", () => {
    const items = Array.from({ length: 2 * MAX_BATCH_EVENTS + 5 }, (_, n) => item(n));
    const batches = splitIntoBatches(items);
    expect(batches.map((batch) => batch.length)).toEqual([MAX_BATCH_EVENTS, MAX_BATCH_EVENTS, 5]);
    expect(batches.flat()).toEqual(items);
  });

  it("cuts by bytes the way takeBatch does", () => {
    const big = "x".repeat(MAX_BATCH_BYTES / 4);
    const items = Array.from({ length: 11 }, (_, n) => item(n, big));
    const queued = queue(items.slice(1));
    expect(splitIntoBatches(items)[0]).toEqual(takeBatch(items[0]!, queued));
    expect(splitIntoBatches(items).map((batch) => batch.length)).toEqual([4, 4, 3]);
  });

  it("gives nothing for nothing", () => {
    expect(splitIntoBatches([])).toEqual([]);
  });
});
