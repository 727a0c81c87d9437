import { describe, expect, it } from "vitest";
import { DeliveryTracker } from "./delivery-tracker.js";

describe("DeliveryTracker", () => {
  it("classifies duplicates and out-of-order receipts, and counts losses against what was sent", () => {
    const tracker = new DeliveryTracker();
    const outcomes = [
      tracker.receive("a", 0),
      tracker.receive("a", 2),
      tracker.receive("a", 1), // late: after 2
      tracker.receive("a", 2), // again
      tracker.receive("b", 0),
      tracker.receive("b", 3), // 1 and 2 never come
    ];
    expect(outcomes).toEqual(["delivered", "delivered", "out-of-order", "duplicate", "delivered", "delivered"]);
    expect(tracker.summarize(new Map([["a", 3], ["b", 4], ["c", 2]]))).toEqual({
      delivered: 5,
      duplicates: 1,
      outOfOrder: 1,
      lost: 4, // b:1, b:2, c:0, c:1
      unexpected: 0,
    });
  });

  it("takes the exact seqs sent (e.g. only acked ones) and reports receipts nobody expected", () => {
    const tracker = new DeliveryTracker();
    tracker.receive("a", 0);
    tracker.receive("a", 1); // its send failed, yet it was delivered
    tracker.receive("z", 0); // a sender that is not in the list
    expect(tracker.summarize(new Map([["a", [0, 2, 2]]]))).toEqual({ delivered: 3, duplicates: 0, outOfOrder: 0, lost: 1, unexpected: 2 });
  });

  it("a gap alone is loss, not reordering", () => {
    const tracker = new DeliveryTracker();
    for (const seq of [0, 1, 3, 4]) tracker.receive("a", seq);
    expect(tracker.summarize(new Map([["a", 5]]))).toMatchObject({ lost: 1, outOfOrder: 0, duplicates: 0 });
  });
});
