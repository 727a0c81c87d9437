import type { Encoder } from "@trpc/server/adapters/ws";
import { sharedJson } from "./shared-json.js";
import { frameHead, replyFields, trackedFields } from "./tracked-frame.js";

/** A reply or a subscription item carrying an object: `id` is the event id of a tracked item. */
interface DataMessage {
  id: string | number | null;
  jsonrpc?: "2.0";
  result: { type: "data"; id?: unknown; data: object };
}

function isDataMessage(message: unknown): message is DataMessage {
  const result = (message as { result?: { type?: unknown; data?: unknown } }).result;
  return typeof result === "object" && result !== null && result.type === "data" && typeof result.data === "object" && result.data !== null;
}

/**
 * The frame's end after `"type":"data",`, built around the registered JSON of what the message
 * carries; undefined when that was not registered.
 */
function sharedResultFields({ result }: DataMessage): string | undefined {
  if (typeof result.id === "string") {
    const payload = sharedJson((result.data as { data?: unknown }).data);
    return payload === undefined ? undefined : trackedFields(result.id, payload);
  }
  const payload = result.id === undefined ? sharedJson(result.data) : undefined;
  return payload === undefined ? undefined : replyFields(payload);
}

/**
 * tRPC's WebSocket encoding (JSON in text frames), except that a subscription item whose payload
 * was registered with `shareJson` reuses that payload's JSON: per watcher only the small envelope
 * (request id, event id) is encoded. The same goes for a query's reply registered with `shareJson`
 * (a cached file listing, sent to everyone who lists the project until it changes). The frame is
 * byte-for-byte what JSON.stringify would give, up to key order, which JSON does not fix.
 */
export const wsEncoder: Encoder = {
  encode(message) {
    const fields = isDataMessage(message) ? sharedResultFields(message) : undefined;
    if (fields === undefined) return JSON.stringify(message);
    const { id, jsonrpc } = message as DataMessage;
    return frameHead(id, jsonrpc) + fields;
  },
  decode(data) {
    if (typeof data !== "string") throw new Error("Cohort speaks JSON in text frames; a binary frame was received");
    return JSON.parse(data);
  },
};
