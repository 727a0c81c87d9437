import { describe, expect, it } from "vitest";
import { shareJson, sharedJson } from "./shared-json.js";
import { wsEncoder } from "./ws-encoder.js";

const tracked = (id: string, data: unknown, extra: object = {}) => ({ id: 7, ...extra, result: { type: "data", id, data: { id, data } } });

describe("wsEncoder", () => {
  it("encodes a shared payload into the same JSON value as JSON.stringify", () => {
    const event = shareJson({ type: "edit", path: "a \"quoted\" \u2028 path", update: "AAE=", n: [1, null, { x: true }] });
    for (const message of [tracked("1700000000000-0", event), tracked("1-1", event, { jsonrpc: "2.0" })]) {
      const encoded = wsEncoder.encode(message) as string;
      expect(JSON.parse(encoded)).toEqual(JSON.parse(JSON.stringify(message)));
    }
  });

  it("reuses the payload's JSON for every connection (encoded once)", () => {
    const event = shareJson({ type: "cursor", line: 1 });
    wsEncoder.encode(tracked("1-0", event));
    // A shared payload must not change after registration; if it did, the cached JSON would win.
    (event as { line: number }).line = 2;
    expect(JSON.parse(wsEncoder.encode(tracked("1-0", event)) as string).result.data.data.line).toBe(1);
  });

  it("reuses the JSON of a shared query reply", () => {
    const listing = shareJson({ entries: [{ path: "a.txt", type: "file", size: 1, updatedAt: "2026-01-01T00:00:00.000Z" }], totalSize: 1 });
    for (const message of [{ id: 9, result: { type: "data", data: listing } }, { id: "x\"y", jsonrpc: "2.0", result: { type: "data", data: listing } }]) {
      expect(JSON.parse(wsEncoder.encode(message) as string)).toEqual(JSON.parse(JSON.stringify(message)));
    }
    (listing as { totalSize: number }).totalSize = 2;
    expect(JSON.parse(wsEncoder.encode({ id: 9, result: { type: "data", data: listing } }) as string).result.data.totalSize).toBe(1);
  });

  it("uses JSON given at registration, e.g. a batch assembled from shared parts", () => {
    const batch = shareJson({ type: "batch", events: [] as unknown[] }, '{"type":"batch","events":[{"id":"1-0","event":{"type":"x"}}]}');
    expect(JSON.parse(wsEncoder.encode(tracked("1-0", batch)) as string).result.data.data.events).toEqual([{ id: "1-0", event: { type: "x" } }]);
  });

  it("encodes everything else exactly as JSON.stringify", () => {
    const messages = [
      tracked("1-0", { type: "edit" }), // not registered
      { id: 3, result: { type: "started" } },
      { id: 4, result: { type: "data", data: { ok: true } } },
      { id: 5, error: { code: -32600, message: "bad" } },
      { id: null, method: "reconnect" },
    ];
    for (const message of messages) expect(wsEncoder.encode(message)).toBe(JSON.stringify(message));
  });

  it("decodes text frames and refuses binary ones", () => {
    expect(wsEncoder.decode('{"id":1}')).toEqual({ id: 1 });
    expect(() => wsEncoder.decode(new Uint8Array([123, 125]))).toThrow(/text frames/);
  });
});

describe("sharedJson", () => {
  it("knows only registered objects", () => {
    expect(sharedJson({ a: 1 })).toBeUndefined();
    expect(sharedJson("text")).toBeUndefined();
    expect(sharedJson(null)).toBeUndefined();
    expect(sharedJson(shareJson({ a: 1 }))).toBe('{"a":1}');
  });
});
