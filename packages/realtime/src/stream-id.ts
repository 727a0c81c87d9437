// Redis stream ids are "<ms>-<seq>", two unsigned 64-bit integers. They exceed
// Number.MAX_SAFE_INTEGER in principle, so they are compared as canonical decimal strings
// (no leading zeros): the longer string is the larger number, equal lengths compare lexically.

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;
const MAX_U64 = "18446744073709551615";

/** The id before every entry: a subscription that starts here replays the whole stream. */
export const ZERO_STREAM_ID = "0-0";

function canonical(digits: string): string {
  const trimmed = digits.replace(/^0+/, "");
  return trimmed === "" ? "0" : trimmed;
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseParts(id: string): [string, string] | undefined {
  const match = STREAM_ID.exec(id);
  if (!match) return undefined;
  const ms = canonical(match[1]!);
  const seq = canonical(match[2]!);
  if (compareDigits(ms, MAX_U64) > 0 || compareDigits(seq, MAX_U64) > 0) return undefined;
  return [ms, seq];
}

/** Whether `id` is a complete stream id ("<ms>-<seq>", each part an unsigned 64-bit integer). */
export function isStreamId(id: unknown): id is string {
  return typeof id === "string" && parseParts(id) !== undefined;
}

/** The canonical spelling of a stream id ("007-01" → "7-1"), or undefined if it is not one. */
export function normalizeStreamId(id: string): string | undefined {
  const parts = parseParts(id);
  return parts && `${parts[0]}-${parts[1]}`;
}

/**
 * Orders two stream ids: negative if `a` comes first, 0 if equal, positive if `b` comes first.
 * @throws TypeError if either is not a complete stream id.
 */
export function compareStreamIds(a: string, b: string): number {
  const left = parseParts(a);
  const right = parseParts(b);
  if (!left || !right) throw new TypeError(`Not a stream id: ${JSON.stringify(left ? b : a)}`);
  return compareDigits(left[0], right[0]) || compareDigits(left[1], right[1]);
}
