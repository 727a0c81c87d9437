import { describe, expect, it } from "vitest";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { deliverDirectly } from "./deliver-directly.js";
import { FakeSocket, microtasks, timers } from "./testing/fake-socket.js";

type Subscribable = { watch: { subscribe(input: unknown, opts: Record<string, (value?: unknown) => void>): { unsubscribe(): void } } };

/** tRPC's client on a fake socket, with one subscription whose data is counted on both paths. */
async function subscribed(direct: boolean) {
  const wsClient = createWSClient({ url: "ws://fake", WebSocket: FakeSocket as unknown as typeof WebSocket, keepAlive: { enabled: false }, retryDelayMs: () => 0 });
  await microtasks();
  FakeSocket.last!.open();
  await timers();
  const api = createTRPCClient({ links: [wsLink({ client: wsClient })] }) as unknown as Record<string, Subscribable>;
  const viaTrpc: unknown[] = [];
  const viaDirect: unknown[] = [];
  const lifecycle: string[] = [];
  const input = { project: 1 };
  const subscription = api.project!.watch.subscribe(input, {
    onStarted: () => lifecycle.push("started"),
    onData: (data) => viaTrpc.push(data),
    onError: () => lifecycle.push("error"),
    onStopped: () => lifecycle.push("stopped"),
  });
  const installed = direct && deliverDirectly(wsClient, input, (data) => viaDirect.push(data));
  await timers();
  const socket = FakeSocket.last!;
  const requestId = (socket.sent.flat() as { id: number }[]).at(-1)!.id;
  return { wsClient, socket, requestId, installed, viaTrpc, viaDirect, lifecycle, subscription };
}

const sentSubscriptions = (socket: FakeSocket) =>
  (socket.sent.flat() as { method: string; params: { lastEventId?: string } }[]).filter((m) => m.method === "subscription");

describe("deliverDirectly", () => {
  it("hands data frames to the receiver, not to tRPC's onData; lifecycle stays tRPC's", async () => {
    const run = await subscribed(true);
    expect(run.installed).toBe(true);
    run.socket.receive({ id: run.requestId, result: { type: "started" } });
    // A tracked event's data is its envelope, as tRPC's server sends it and onData gets it.
    run.socket.receive({ id: run.requestId, result: { type: "data", id: "5-0", data: { id: "5-0", data: { type: "edit", n: 1 } } } });
    run.socket.receive({ id: run.requestId, result: { type: "data", data: { untracked: true } } });
    expect(run.viaDirect).toEqual([{ id: "5-0", data: { type: "edit", n: 1 } }, { untracked: true }]);
    expect(run.viaTrpc).toEqual([]);
    expect(run.lifecycle).toEqual(["started"]);
    run.socket.receive({ id: run.requestId, result: { type: "stopped" } });
    expect(run.lifecycle).toEqual(["started", "stopped"]);
    await run.wsClient.close();
  });

  it("keeps tRPC's resume bookkeeping: after a reconnect the subscription resumes from the last id delivered", async () => {
    const run = await subscribed(true);
    run.socket.receive({ id: run.requestId, result: { type: "started" } });
    run.socket.receive({ id: run.requestId, result: { type: "data", id: "7-0", data: { id: "7-0", data: { n: 1 } } } });
    run.socket.receive({ id: run.requestId, result: { type: "data", id: "8-0", data: { id: "8-0", data: { n: 2 } } } });
    const first = run.socket;
    first.drop();
    await timers();
    const second = FakeSocket.last!;
    expect(second).not.toBe(first);
    second.open();
    await timers();
    const [resent] = sentSubscriptions(second);
    expect(resent?.params.lastEventId).toBe("8-0");
    // Data on the new connection still comes the direct way (the request was copied, its callbacks shared).
    const newId = (resent as unknown as { id: number }).id;
    second.receive({ id: newId, result: { type: "started" } });
    second.receive({ id: newId, result: { type: "data", id: "9-0", data: { id: "9-0", data: { n: 3 } } } });
    expect(run.viaDirect.map((tracked) => (tracked as { id: string }).id)).toEqual(["7-0", "8-0", "9-0"]);
    expect(run.viaTrpc).toEqual([]);
    await run.wsClient.close();
  });

  it("without it, the same frames reach tRPC's onData (the path it replaces)", async () => {
    const run = await subscribed(false);
    run.socket.receive({ id: run.requestId, result: { type: "started" } });
    run.socket.receive({ id: run.requestId, result: { type: "data", id: "5-0", data: { id: "5-0", data: { n: 1 } } } });
    // What the direct path hands over is what onData gets.
    expect(run.viaTrpc).toEqual([{ id: "5-0", data: { n: 1 } }]);
    expect(run.viaDirect).toEqual([]);
    await run.wsClient.close();
  });

  it("declines, changing nothing, when the subscription is not found or the client is foreign", async () => {
    const run = await subscribed(false);
    expect(deliverDirectly(run.wsClient, { project: 1 }, () => undefined)).toBe(false); // an equal object is not the input
    run.socket.receive({ id: run.requestId, result: { type: "data", id: "5-0", data: { n: 1 } } });
    expect(run.viaTrpc).toHaveLength(1);
    expect(deliverDirectly({ request: () => undefined } as never, {}, () => undefined)).toBe(false);
    await run.wsClient.close();
  });
});
