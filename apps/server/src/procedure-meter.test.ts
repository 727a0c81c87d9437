import { jsonEncoder } from "@trpc/server/adapters/ws";
import { Counter, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createProcedureMeter } from "./procedure-meter.js";

function setup() {
  const registry = new Registry();
  const messagesIn = new Counter({ name: "in_total", help: "in", labelNames: ["procedure"], registers: [registry] });
  const messagesOut = new Counter({ name: "out_total", help: "out", labelNames: ["procedure"], registers: [registry] });
  const meter = createProcedureMeter({ procedures: ["session.me", "project.watch"], messagesIn, messagesOut, encoder: jsonEncoder });
  const count = async (counter: Counter<"procedure">) =>
    Object.fromEntries((await counter.get()).values.filter((v) => v.value > 0).map((v) => [v.labels.procedure, v.value]));
  return { encoder: meter.encoderFor(), counts: async () => ({ in: await count(messagesIn), out: await count(messagesOut) }) };
}

const request = (id: number, method: string, path: string) => JSON.stringify({ id, method, params: { path, input: null } });

describe("procedure meter", () => {
  it("counts requests and their replies under the procedure, unknown paths as unknown", async () => {
    const { encoder, counts } = setup();
    encoder.decode(JSON.stringify({ method: "connectionParams", data: {} }));
    encoder.decode(request(1, "query", "session.me"));
    encoder.encode({ id: 1, result: { type: "data", data: {} } });
    encoder.decode(request(2, "query", "no.such.path"));
    encoder.encode({ id: 2, error: {} });
    // A reply to an id whose request was already answered is not the procedure's any more.
    encoder.encode({ id: 1, result: { type: "data", data: {} } });
    expect(() => encoder.decode("{not json")).toThrow();
    expect(await counts()).toEqual({ in: { none: 1, "session.me": 1, unknown: 2 }, out: { "session.me": 1, unknown: 2 } });
  });

  it("counts a subscription's items, its stop and its end under its path, until it stopped", async () => {
    const { encoder, counts } = setup();
    encoder.decode(request(7, "subscription", "project.watch"));
    encoder.encode({ id: 7, result: { type: "started" } });
    encoder.encode({ id: 7, result: { type: "data", id: "1-0", data: { id: "1-0", data: {} } } });
    encoder.decode(JSON.stringify({ id: 7, method: "subscription.stop" }));
    encoder.encode({ id: 7, result: { type: "stopped" } });
    encoder.encode({ id: 7, result: { type: "data", data: {} } });
    // A subscription that fails while running still gets its "stopped" after the error.
    encoder.decode(request(8, "subscription", "project.watch"));
    encoder.encode({ id: 8, error: {} });
    encoder.encode({ id: 8, result: { type: "stopped" } });
    encoder.encode({ id: null, method: "reconnect" });
    expect(await counts()).toEqual({ in: { "project.watch": 3 }, out: { "project.watch": 5, unknown: 1, none: 1 } });
  });
});
