import type { Kind } from "./protocol.js";

/** What a delivered message says about itself: who sent it, which of its messages, and when it was meant to go. */
export interface Marker {
  sender: number;
  kind: Kind;
  /** Per-sender, per-kind sequence numbers [from, to]: a system that merges updates carries several. */
  from: number;
  to: number;
  /** Intended send time of `from`, epoch ms. */
  intendedAt: number;
}

/**
 * Text form embedded in every system's payload (ws frame, Socket.IO argument, Yjs string content,
 * awareness JSON): `m<sender>.<e|c><from>-<to>@<intendedAt>;`. Plain ASCII survives every encoding
 * unchanged, so a receiver finds it without decoding the system's own format.
 */
export function encodeMarker({ sender, kind, from, to, intendedAt }: Marker): string {
  return `m${sender}.${kind === "edit" ? "e" : "c"}${from}-${to}@${intendedAt.toFixed(3)};`;
}

const MARKER = /m(\d+)\.([ec])(\d+)-(\d+)@(\d+(?:\.\d+)?);/g;

/** Calls `found` for every marker in `text`; returns how many there were. */
export function scanMarkers(text: string, found: (marker: Marker) => void): number {
  let count = 0;
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(text); match; match = MARKER.exec(text)) {
    count++;
    found({
      sender: Number(match[1]),
      kind: match[2] === "e" ? "edit" : "cursor",
      from: Number(match[3]),
      to: Number(match[4]),
      intendedAt: Number(match[5]),
    });
  }
  return count;
}

/** Cohort's trace id (at most 64 characters): `<sender>.<e|c><from>-<to>`. */
export function encodeTraceId({ sender, kind, from, to }: Omit<Marker, "intendedAt">): string {
  return `${sender}.${kind === "edit" ? "e" : "c"}${from}-${to}`;
}

const TRACE_ID = /^(\d+)\.([ec])(\d+)-(\d+)$/;

export function decodeTraceId(id: string, intendedAt: number): Marker | undefined {
  const match = TRACE_ID.exec(id);
  if (!match) return undefined;
  return { sender: Number(match[1]), kind: match[2] === "e" ? "edit" : "cursor", from: Number(match[3]), to: Number(match[4]), intendedAt };
}
