import { describe, expect, it } from "vitest";
import { expectedPerReceiver, IntendedTable } from "./intended-table.js";
import type { ClientSpec } from "./protocol.js";
import { DeliveryRecorder } from "./recorder.js";
import { STAGES } from "./stages.js";

// Client 0 sends to the room, clients 0 and 1 watch it; the recorder is client 1's driver's.
const clients: ClientSpec[] = [
  { index: 0, watch: ["r"], send: { room: "r", file: "f" } },
  { index: 1, watch: ["r"] },
];

function recorder(receivers: number[] = [1]) {
  const table = new IntendedTable(clients, { ratePerClient: 20, weights: { edit: 1, cursor: 0 }, durationMs: 1_000, seed: 1, arrival: "uniform" }, 0);
  return new DeliveryRecorder({ table, expected: expectedPerReceiver(clients, table), receivers, senders: clients.length });
}

const stages = { client: 0.2, toServer: 1, server: 2, toReceiver: 1 };
const counts = (r: DeliveryRecorder) => STAGES.map((stage) => r.stages[stage].totalCount);

describe("DeliveryRecorder: stages", () => {
  it("records a delivered event's stages once, however many edits it carries", () => {
    const r = recorder();
    r.deliver(1, { sender: 0, kind: "edit", from: 0, to: 2, intendedAt: 0 }, 10, stages);
    expect(r.counts().received.edit).toBe(3);
    expect(counts(r)).toEqual([1, 1, 1, 1]);
    expect(r.stages.server.maxValue).toBe(2_000);
  });

  it("skips own echoes, replays that bring nothing new, and events without stamps", () => {
    const r = recorder([0, 1]);
    r.deliver(0, { sender: 0, kind: "edit", from: 0, to: 0, intendedAt: 0 }, 10, stages);
    r.deliver(1, { sender: 0, kind: "edit", from: 1, to: 1, intendedAt: 0 }, 10);
    r.deliver(1, { sender: 0, kind: "edit", from: 0, to: 1, intendedAt: 0 }, 10, stages);
    expect(counts(r)).toEqual([1, 1, 1, 1]); // the last one: edit 0 was new
    r.deliver(1, { sender: 0, kind: "edit", from: 0, to: 1, intendedAt: 0 }, 10, stages);
    expect(counts(r)).toEqual([1, 1, 1, 1]);
    expect(r.duplicates).toBe(3);
  });
});
