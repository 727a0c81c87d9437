import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { decodeTextOnce } from "./decode-text-once.js";

let server: WebSocketServer;
let url: string;

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await once(server, "listening");
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on("connection", (socket) => socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary })));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function open(): Promise<WebSocket> {
  const Impl = decodeTextOnce(WebSocket as unknown as typeof globalThis.WebSocket) as unknown as typeof WebSocket;
  const socket = new Impl(url);
  await once(socket, "open");
  return socket;
}

describe("decodeTextOnce", () => {
  it("hands every message listener the same decoded event, in order, and honours removal", async () => {
    const socket = await open();
    const seen: [string, unknown][] = [];
    const first = (event: { data: unknown }) => seen.push(["first", event.data]);
    const second = { handleEvent: (event: { data: unknown }) => seen.push(["second", event.data]) };
    socket.addEventListener("message", first);
    socket.addEventListener("message", second as never);
    socket.addEventListener("message", first); // twice is once, as with EventTarget
    const events: unknown[] = [];
    socket.addEventListener("message", (event) => events.push(event));
    socket.addEventListener("message", (event) => events.push(event));
    socket.send("hello");
    await new Promise((resolve) => socket.addEventListener("message", resolve, { once: true }));
    expect(seen).toEqual([
      ["first", "hello"],
      ["second", "hello"],
    ]);
    expect(events).toHaveLength(2);
    expect(events[0]).toBe(events[1]); // one event object, so one decoded string
    socket.removeEventListener("message", first);
    socket.send(Buffer.from([1, 2, 3]), { binary: true } as never);
    await new Promise((resolve) => socket.addEventListener("message", resolve, { once: true }));
    expect(seen.map(([who]) => who)).toEqual(["first", "second", "second"]);
    expect(Buffer.from(seen[2]?.[1] as Buffer).equals(Buffer.from([1, 2, 3]))).toBe(true);
    socket.close();
  });

  it("leaves other events and implementations without ws's on() alone", async () => {
    class Plain {}
    expect(decodeTextOnce(Plain as unknown as typeof globalThis.WebSocket)).toBe(Plain);
    const socket = await open();
    const closed = new Promise((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
    socket.close(4000);
    expect(await closed).toBe(4000);
  });
});
