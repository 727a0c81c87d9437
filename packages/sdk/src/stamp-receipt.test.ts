import type { ProjectEvent } from "@cohort/api/schemas";
import { describe, expect, it } from "vitest";
import type { CohortApi } from "./create-client.js";
import { ProjectEventStream } from "./project-events.js";
import { stampReceipt, type ReceiptClock, type ReceivedProjectEvent } from "./stamp-receipt.js";
import type { ClockEstimate } from "./time-sync.js";

const estimate: ClockEstimate = { offsetMs: 500, rttMs: 8, uncertaintyMs: 4, samples: 5 };
const fakeClock = (nowMs: number, clock: ClockEstimate | null): ReceiptClock => ({ nowMs: () => nowMs, estimate: () => clock });
const cursor = (trace?: { id: string; t1: number; t2: number; t3: number }): ProjectEvent => ({
  type: "cursor",
  actor: { id: 1, nickname: "a" },
  at: 1,
  path: "a.txt",
  participant: { id: 1, nickname: "a" },
  position: { line: 1, column: 1 },
  ...(trace ? { trace } : {}),
});

describe("stampReceipt", () => {
  it("stamps t4 on the server's clock, with the estimate's uncertainty", () => {
    const event = stampReceipt(cursor({ id: "x", t1: 10_400, t2: 10_450, t3: 10_460 }), fakeClock(10_000, estimate));
    expect(event.type !== "reset" && event.trace).toEqual({ id: "x", t1: 10_400, t2: 10_450, t3: 10_460, t4: 10_500, t4UncertaintyMs: 4 });
  });

  it("uses the local clock as is, uncertainty unknown, before any estimate", () => {
    const event = stampReceipt(cursor({ id: "x", t1: 1, t2: 2, t3: 3 }), fakeClock(10_000, null));
    expect(event.type !== "reset" && event.trace).toMatchObject({ t4: 10_000, t4UncertaintyMs: null });
  });

  it("leaves untraced events and resets alone", () => {
    expect(stampReceipt(cursor(), fakeClock(1, estimate))).toEqual(cursor());
    expect(stampReceipt({ type: "reset" }, fakeClock(1, estimate))).toEqual({ type: "reset" });
  });
});

describe("ProjectEventStream receipts", () => {
  it("stamps every traced event of a batch once, before its listeners see it", () => {
    let onData!: (tracked: unknown) => void;
    const api = { project: { watch: { subscribe: (_: unknown, handlers: { onData: typeof onData }) => ((onData = handlers.onData), { unsubscribe() {} }) } } };
    let now = 20_000;
    const stream = new ProjectEventStream(api as unknown as CohortApi, { lessonId: 1, ownerId: 2 }, { clock: { nowMs: () => now++, estimate: () => estimate } });
    const seen: [string, ReceivedProjectEvent][] = [];
    stream.listen({ onEvent: (event) => seen.push(["first", event]) });
    stream.listen({ onEvent: (event) => seen.push(["second", event]) });
    onData({ id: "2", data: { type: "batch", events: [{ id: "1", event: cursor({ id: "a", t1: 1, t2: 2, t3: 3 }) }, { id: "2", event: cursor() }] } });
    const t4s = seen.map(([, e]) => (e.type === "reset" ? undefined : e.trace?.t4));
    expect(t4s).toEqual([20_500, 20_500, undefined, undefined]);
  });
});
