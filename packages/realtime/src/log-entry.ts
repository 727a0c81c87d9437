import { isStreamId } from "./stream-id.js";

// Every log entry carries the id of the entry appended before it ("prev"), both in the stream
// and in the pub/sub message. A reader that last saw id X knows it missed nothing exactly when
// the next entry's prev is X, which detects lost pub/sub messages as well as trimmed history.
// (XINFO's max-deleted-entry-id cannot do this: Redis 7.0 does not update it when trimming.)

/** An entry as read from the stream or received over pub/sub. */
export interface LogEntry {
  id: string;
  prev: string;
  event: unknown;
}

/** Field names inside a stream entry. */
export const PREV_FIELD = "p";
export const EVENT_FIELD = "e";

/** Parses a pub/sub message "<id> <prev> <json>"; undefined if it is not one of ours. */
export function parseLiveMessage(message: string): LogEntry | undefined {
  const first = message.indexOf(" ");
  const second = first < 0 ? -1 : message.indexOf(" ", first + 1);
  if (second < 0) return undefined;
  const id = message.slice(0, first);
  const prev = message.slice(first + 1, second);
  if (!isStreamId(id) || !isStreamId(prev)) return undefined;
  try {
    return { id, prev, event: JSON.parse(message.slice(second + 1)) };
  } catch {
    return undefined;
  }
}

/** Parses one XRANGE reply entry: [id, [field, value, …]]. */
export function parseStreamEntry(raw: unknown): LogEntry {
  if (!Array.isArray(raw) || typeof raw[0] !== "string" || !Array.isArray(raw[1])) {
    throw new TypeError("Unexpected stream entry shape");
  }
  const fields = raw[1] as unknown[];
  let prev: unknown;
  let json: unknown;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === PREV_FIELD) prev = fields[i + 1];
    else if (fields[i] === EVENT_FIELD) json = fields[i + 1];
  }
  if (typeof prev !== "string" || typeof json !== "string") throw new TypeError(`Stream entry ${raw[0]} is not a log entry`);
  return { id: raw[0], prev, event: JSON.parse(json) };
}
