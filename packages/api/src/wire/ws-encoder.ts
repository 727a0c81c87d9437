import type { Encoder } from "@trpc/server/adapters/ws";
import { sharedJson } from "./shared-json.js";

interface TrackedDataMessage {
  id: string | number | null;
  jsonrpc?: "2.0";
  result: { type: "data"; id: string; data: { id: string; data: unknown } };
}

interface ReplyMessage {
  id: string | number | null;
  jsonrpc?: "2.0";
  result: { type: "data"; data: object };
}

/** The reply to a query or mutation (no event id), carrying an object. */
function isReply(message: unknown): message is ReplyMessage {
  const result = (message as { result?: { type?: unknown; id?: unknown; data?: unknown } }).result;
  return typeof result === "object" && result !== null && result.type === "data" && result.id === undefined && typeof result.data === "object" && result.data !== null;
}

function isTrackedData(message: unknown): message is TrackedDataMessage {
  const result = (message as { result?: { type?: unknown; id?: unknown; data?: unknown } }).result;
  return typeof result === "object" && result !== null && result.type === "data" && typeof result.id === "string" && typeof result.data === "object" && result.data !== null;
}

/**
 * tRPC's WebSocket encoding (JSON in text frames), except that a subscription item whose payload
 * was registered with `shareJson` reuses that payload's JSON: per watcher only the small envelope
 * (request id, event id) is encoded. The same goes for a query's reply registered with `shareJson`
 * (a cached file listing, sent to everyone who lists the project until it changes). The frame is byte-for-byte what JSON.stringify would give,
 * up to key order, which JSON does not fix.
 */
export const wsEncoder: Encoder = {
  encode(message) {
    if (isTrackedData(message)) {
      const payload = sharedJson(message.result.data.data);
      if (payload !== undefined) {
        const eventId = JSON.stringify(message.result.id);
        const jsonrpc = message.jsonrpc === undefined ? "" : `"jsonrpc":${JSON.stringify(message.jsonrpc)},`;
        return `{"id":${JSON.stringify(message.id)},${jsonrpc}"result":{"type":"data","id":${eventId},"data":{"id":${eventId},"data":${payload}}}}`;
      }
    } else if (isReply(message)) {
      const payload = sharedJson(message.result.data);
      if (payload !== undefined) {
        const jsonrpc = message.jsonrpc === undefined ? "" : `"jsonrpc":${JSON.stringify(message.jsonrpc)},`;
        return `{"id":${JSON.stringify(message.id)},${jsonrpc}"result":{"type":"data","data":${payload}}}`;
      }
    }
    return JSON.stringify(message);
  },
  decode(data) {
    if (typeof data !== "string") throw new Error("Cohort speaks JSON in text frames; a binary frame was received");
    return JSON.parse(data);
  },
};
