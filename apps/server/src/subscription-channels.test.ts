import { describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { SubscriptionChannels } from "./subscription-channels.js";

/** A socket that records what is sent (only readyState and send are used). */
function fakeSocket() {
  const sent: { frame: unknown; options: unknown }[] = [];
  const socket = { readyState: 1, send: (frame: unknown, options: unknown) => sent.push({ frame, options }) };
  return { socket: socket as unknown as WebSocket & { readyState: number }, sent };
}

const identity = { encode: (message: unknown) => JSON.stringify(message), decode: (data: unknown) => JSON.parse(String(data)) as unknown };

function setup() {
  const { socket, sent } = fakeSocket();
  const counted: string[] = [];
  const channels = new SubscriptionChannels(socket, (path) => counted.push(path));
  const encoder = channels.noting(identity);
  const decode = (message: unknown) => encoder.decode(JSON.stringify(message)) as never;
  return { socket, sent, counted, channels, decode };
}

describe("SubscriptionChannels", () => {
  it("finds a subscription request by the input object tRPC will hand the procedure", () => {
    const { channels, decode, sent, counted } = setup();
    const message = decode({ id: "w-1", jsonrpc: "2.0", method: "subscription", params: { path: "project.watch", input: { lessonId: 1, ownerId: 2 } } });
    const channel = channels.channelFor((message as { params: { input: object } }).params.input);
    expect(channel).toMatchObject({ requestId: "w-1", jsonrpc: "2.0" });
    channel!.send(Buffer.from('{"x":1}'));
    expect(sent).toEqual([{ frame: Buffer.from('{"x":1}'), options: { binary: false } }]);
    expect(counted).toEqual(["project.watch"]);
    // An equal object is not the same request.
    expect(channels.channelFor({ lessonId: 1, ownerId: 2 })).toBeUndefined();
  });

  it("folds a top-level lastEventId into the input, as tRPC would, keeping the object noted", () => {
    const { channels, decode } = setup();
    const message = decode({ id: 7, method: "subscription", params: { path: "project.watch", input: { lessonId: 1, ownerId: 2 }, lastEventId: "5-0" } }) as {
      params: { input: object; lastEventId?: string };
    };
    expect(message.params.input).toEqual({ lessonId: 1, ownerId: 2, lastEventId: "5-0" });
    expect(message.params.lastEventId).toBeUndefined();
    expect(channels.channelFor(message.params.input)).toMatchObject({ requestId: 7, jsonrpc: undefined });
  });

  it("notes every subscription of a batch and nothing else", () => {
    const { channels, decode } = setup();
    const messages = decode([
      { id: 1, method: "subscription", params: { path: "project.watch", input: { a: 1 } } },
      { id: 2, method: "query", params: { path: "files.list", input: { b: 2 } } },
      { id: 3, method: "mutation", params: { path: "edits.push", input: { c: 3 } } },
      { id: 4, method: "subscription", params: { path: "inbox.watch", input: [1, 2] } },
      { id: 5, method: "subscription", params: { path: "inbox.watch", input: null } },
      { id: null, method: "subscription", params: { path: "project.watch", input: { d: 4 } } },
      { id: 6, method: "subscription", params: { path: 42, input: { e: 5 } } },
      { id: 7, method: "subscription", params: { path: "inbox.watch", input: [1], lastEventId: "1-0" } },
    ]) as { params: { input: unknown } }[];
    const found = messages.map((message) => channels.channelFor(message.params.input)?.requestId);
    expect(found).toEqual([1, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    // An array input is left as it came, for tRPC to refuse.
    expect(messages[7]!.params.input).toEqual([1]);
  });

  it("writes nothing once the socket is closing", () => {
    const { channels, decode, socket, sent, counted } = setup();
    const message = decode({ id: 1, method: "subscription", params: { path: "project.watch", input: {} } }) as { params: { input: object } };
    const channel = channels.channelFor(message.params.input)!;
    socket.readyState = 2;
    channel.send(Buffer.from("{}"));
    expect(sent).toEqual([]);
    expect(counted).toEqual([]);
  });

  it("passes encoding through and decoding errors up", () => {
    const { channels } = setup();
    const encoder = channels.noting(identity);
    expect(encoder.encode({ id: 1, result: { type: "started" } })).toBe('{"id":1,"result":{"type":"started"}}');
    expect(() => encoder.decode("{not json")).toThrow();
  });
});
