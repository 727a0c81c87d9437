import { describe, expect, it } from "vitest";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { sendWithoutTimer } from "./send-without-timer.js";
import { FakeSocket, microtasks, timers } from "./testing/fake-socket.js";

/** tRPC's client on a fake socket that is open; `patched` applies sendWithoutTimer. */
async function openClient(patched: boolean) {
  const wsClient = createWSClient({ url: "ws://fake", WebSocket: FakeSocket as unknown as typeof WebSocket, keepAlive: { enabled: false } });
  if (patched) sendWithoutTimer(wsClient);
  await microtasks();
  FakeSocket.last!.open();
  await timers();
  const api = createTRPCClient({ links: [wsLink({ client: wsClient })] }) as unknown as Record<string, { push: { mutate(input: unknown): Promise<unknown> } }>;
  const socket = FakeSocket.last!;
  return {
    api,
    socket,
    close: () => {
      socket.answerAll();
      return wsClient.close();
    },
  };
}

const methods = (sent: unknown[]) => sent.flatMap((frame) => (Array.isArray(frame) ? frame : [frame])).map((message) => (message as { params?: { path?: string } }).params?.path);

describe("sendWithoutTimer", () => {
  it("sends a request within the same turn, without waiting for a timer", async () => {
    const { api, socket, close } = await openClient(true);
    void api.edits!.push.mutate({ n: 1 }).catch(() => undefined);
    await microtasks();
    expect(methods(socket.sent)).toEqual(["edits.push"]);
    await timers(); // tRPC's own delayed flush finds nothing left to send
    expect(methods(socket.sent)).toEqual(["edits.push"]);
    await close();
  });

  it("still sends the requests of one turn together, as one batch frame", async () => {
    const { api, socket, close } = await openClient(true);
    void api.edits!.push.mutate({ n: 1 }).catch(() => undefined);
    void api.cursor!.push.mutate({ n: 2 }).catch(() => undefined);
    await microtasks();
    expect(socket.sent).toHaveLength(1);
    expect(methods(socket.sent)).toEqual(["edits.push", "cursor.push"]);
    await close();
  });

  it("leaves a request made while connecting to tRPC, which sends it once open", async () => {
    const wsClient = createWSClient({ url: "ws://fake", WebSocket: FakeSocket as unknown as typeof WebSocket, keepAlive: { enabled: false } });
    sendWithoutTimer(wsClient);
    const api = createTRPCClient({ links: [wsLink({ client: wsClient })] }) as unknown as Record<string, { push: { mutate(input: unknown): Promise<unknown> } }>;
    await microtasks();
    void api.edits!.push.mutate({ n: 1 }).catch(() => undefined);
    await microtasks();
    const socket = FakeSocket.last!;
    expect(socket.sent).toEqual([]);
    socket.open();
    await timers();
    expect(methods(socket.sent)).toEqual(["edits.push"]);
    socket.answerAll();
    await wsClient.close();
  });

  it("without it, tRPC waits for a timer before sending (what this works around)", async () => {
    const { api, socket, close } = await openClient(false);
    void api.edits!.push.mutate({ n: 1 }).catch(() => undefined);
    await microtasks();
    expect(socket.sent).toEqual([]);
    await timers();
    expect(methods(socket.sent)).toEqual(["edits.push"]);
    await close();
  });

  it("changes nothing on a client whose internals it does not know", () => {
    const foreign = { request: () => undefined } as never;
    expect(() => sendWithoutTimer(foreign)).not.toThrow();
    expect(Object.keys(foreign)).toEqual(["request"]);
  });
});
