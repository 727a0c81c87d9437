import { describe, expect, it } from "vitest";
import { graphView, OTHERS_NODE, TrafficModel } from "./traffic-model.js";

const trace = (over: Partial<Parameters<TrafficModel["addTrace"]>[0]> = {}) => ({
  id: "a",
  event: "cursor",
  from: 1,
  to: 2,
  instance: "s1",
  t1: 1_000,
  t2: 1_004,
  t3: 1_005,
  size: 10,
  ...over,
});

describe("TrafficModel", () => {
  it("links sender → instance → receiver and bumps the topology only for new nodes and links", () => {
    const model = new TrafficModel();
    model.addTrace(trace(), 2_000);
    const version = model.topologyVersion;
    expect([...model.links.values()].map((l) => `${l.from}>${l.to}`)).toEqual(["p:1>i:s1", "i:s1>p:2"]);
    model.addTrace(trace(), 2_100);
    expect(model.topologyVersion).toBe(version);
    expect(model.links.get("p:1>i:s1")).toMatchObject({ count: 2, lastAt: 2_100 });
  });

  it("reads latency parts per event and overall", () => {
    const model = new TrafficModel();
    model.addTrace(trace(), 2_000);
    model.addTrace(trace({ event: "edit", t2: 1_010, t3: 1_030 }), 2_000);
    const rows = model.latencyRows(2_000);
    expect(rows.map((r) => r.event)).toEqual(["all", "cursor", "edit"]);
    expect(rows[2]?.parts.server.values[0]).toBe(20);
    expect(rows[0]?.parts.total).toEqual({ count: 2, values: [5, 30, 30, 30] });
  });

  it("counts traces per second and takes instance heartbeats", () => {
    const model = new TrafficModel();
    model.addTrace(trace({ to: null }), 5_100);
    model.addTrace(trace({ to: null }), 5_900);
    model.addInstanceBeat({ instanceId: "s2", connections: 4, messagesInPerSec: 12, messagesOutPerSec: 30 }, 6_000);
    expect(model.tracesInSecond(5)).toBe(2);
    expect(model.instances.get("s2")).toMatchObject({ connections: 4, messagesInPerSec: 12, messagesOutPerSec: 30 });
    expect(model.links.size).toBe(1);
  });
});

describe("graphView", () => {
  it("keeps the most recently active participants and folds the rest into one node", () => {
    const model = new TrafficModel();
    // 1, 2 and 3 work in their own projects; 4 and 5 in 3's.
    for (let id = 1; id <= 3; id++) model.addTrace(trace({ from: id, to: id }), 1_000 + id);
    for (let id = 4; id <= 5; id++) model.addTrace(trace({ from: id, to: 3 }), 1_000 + id);
    const view = graphView(model, 2);
    expect(view.participants.sort()).toEqual([3, 5]);
    expect(view.others).toBe(3);
    expect(view.links.find((l) => l.from === OTHERS_NODE)).toMatchObject({ to: "i:s1", count: 3, lastAt: 1_004 });
    expect(view.links.filter((l) => l.to === OTHERS_NODE)).toEqual([{ from: "i:s1", to: OTHERS_NODE, count: 2, lastAt: 1_002 }]);
  });
});
