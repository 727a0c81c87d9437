import * as Y from "yjs";
import { TEXT_NAME } from "./check-update.js";

/** A range of whole lines, 1-based and inclusive. */
export interface LineRange {
  start: number;
  end: number;
}

/** What an anchor points at in the document now. */
export type AnchorResolution =
  /** The range still holds text: its lines now, and that text. */
  | { state: "live"; lines: LineRange; excerpt: string }
  /** Every character of the range was deleted. */
  | { state: "deleted" }
  /** The document does not know the anchor (it was recreated, e.g. after an eviction). */
  | { state: "lost" };

/** Longest excerpt kept with an anchor, in UTF-16 units; longer ranges are cut. */
export const MAX_EXCERPT_CHARS = 2_000;

const FORMAT_VERSION = 1;
const FLAG_EMPTY = 1;

export class LineRangeError extends Error {
  override readonly name = "LineRangeError";
}

/**
 * Anchors a line range in a file's document with Yjs relative positions: the start sticks to the
 * first character of line `start`, the end to the last character of line `end` (its newline, when
 * it has one). Relative positions name CRDT items, not offsets, so the range follows every edit of
 * every client in any order, and survives restarts because the items live in the stored document.
 * @throws LineRangeError when the range is out of order or past the end of the text.
 */
export function createTextAnchor(doc: Y.Doc, lines: LineRange): { anchor: Uint8Array; excerpt: string } {
  const ytext = doc.getText(TEXT_NAME);
  const text = ytext.toString();
  const index = new LineIndex(text);
  if (!Number.isInteger(lines.start) || !Number.isInteger(lines.end) || lines.start < 1 || lines.end < lines.start) {
    throw new LineRangeError(`Lines ${lines.start}-${lines.end} are not an ordered range of line numbers (from 1)`);
  }
  if (lines.end > index.lineCount) {
    throw new LineRangeError(`The file has ${index.lineCount} line${index.lineCount === 1 ? "" : "s"}; lines ${lines.start}-${lines.end} are past its end`);
  }
  const from = index.lineStart(lines.start);
  const to = index.lineEndWithBreak(lines.end);
  const empty = from === to;
  // An empty range (the last line, empty) has no character of its own: both ends stick to the
  // character before it, so the range stays where that line is and is never "deleted".
  const start = Y.createRelativePositionFromTypeIndex(ytext, from, empty ? -1 : 0);
  const end = Y.createRelativePositionFromTypeIndex(ytext, to, -1);
  return { anchor: encodeAnchor(Y.encodeRelativePosition(start), Y.encodeRelativePosition(end), empty), excerpt: excerptOf(text, index, lines) };
}

/** Resolves anchors against the document as it is now (one pass over the text for all of them). */
export function resolveTextAnchors(doc: Y.Doc, anchors: readonly Uint8Array[]): AnchorResolution[] {
  const text = doc.getText(TEXT_NAME).toString();
  const index = new LineIndex(text);
  return anchors.map((anchor) => resolveOne(doc, text, index, anchor));
}

function resolveOne(doc: Y.Doc, text: string, index: LineIndex, bytes: Uint8Array): AnchorResolution {
  const decoded = decodeAnchor(bytes);
  if (!decoded) return { state: "lost" };
  let from: Y.AbsolutePosition | null;
  let to: Y.AbsolutePosition | null;
  try {
    from = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(decoded.start), doc);
    to = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(decoded.end), doc);
  } catch {
    return { state: "lost" };
  }
  if (!from || !to || from.type !== doc.getText(TEXT_NAME) || to.type !== from.type) return { state: "lost" };
  if (decoded.empty) {
    const line = index.lineAt(from.index);
    return { state: "live", lines: { start: line, end: line }, excerpt: "" };
  }
  // A deleted character resolves to where it was, so with every character of the range deleted
  // both ends meet. Text typed inside the range sits between them and keeps it alive.
  if (to.index <= from.index) return { state: "deleted" };
  const lines = { start: index.lineAt(from.index), end: index.lineAt(to.index - 1) };
  return { state: "live", lines, excerpt: excerptOf(text, index, lines) };
}

/**
 * Anchors again an anchor the document no longer knows (its document was recreated from the stored
 * text): where its excerpt stands on whole lines, nearest to where it last was; else on the lines
 * it last had, if the file still has them. Null when neither is possible.
 */
export function relocateTextAnchor(doc: Y.Doc, last: { lines: LineRange; excerpt: string }): { anchor: Uint8Array; lines: LineRange; excerpt: string } | null {
  const text = doc.getText(TEXT_NAME).toString();
  const index = new LineIndex(text);
  const span = last.lines.end - last.lines.start;
  let best: LineRange | null = null;
  if (last.excerpt.length > 0 && last.excerpt.length < MAX_EXCERPT_CHARS) {
    for (let at = text.indexOf(last.excerpt); at !== -1; at = text.indexOf(last.excerpt, at + 1)) {
      const start = index.lineAt(at);
      const after = at + last.excerpt.length;
      if (index.lineStart(start) !== at || (after < text.length && text[after] !== "\n")) continue;
      const candidate = { start, end: index.lineAt(after === 0 ? 0 : after - 1) };
      if (!best || Math.abs(candidate.start - last.lines.start) < Math.abs(best.start - last.lines.start)) best = candidate;
    }
  }
  if (!best && last.lines.start >= 1 && last.lines.end <= index.lineCount && span >= 0) best = last.lines;
  if (!best) return null;
  return { ...createTextAnchor(doc, best), lines: best };
}

/** The text of whole lines `start`..`end` (without the final line break), cut to MAX_EXCERPT_CHARS. */
function excerptOf(text: string, index: LineIndex, lines: LineRange): string {
  const from = index.lineStart(lines.start);
  // Up to the break ending line `end` (not included), or the end of the text on the last line.
  const end = lines.end < index.lineCount ? index.lineStart(lines.end + 1) - 1 : text.length;
  let excerpt = text.slice(from, Math.min(end, from + MAX_EXCERPT_CHARS + 1));
  if (excerpt.length > MAX_EXCERPT_CHARS) {
    let cut = MAX_EXCERPT_CHARS;
    // Never split a surrogate pair.
    if (isHighSurrogate(excerpt.charCodeAt(cut - 1))) cut--;
    excerpt = excerpt.slice(0, cut);
  }
  return excerpt;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Offsets of line starts, for line ↔ offset conversions by binary search. */
class LineIndex {
  readonly #starts: number[] = [0];
  readonly #length: number;

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.#starts.push(i + 1);
    this.#length = text.length;
  }

  get lineCount(): number {
    return this.#starts.length;
  }

  lineStart(line: number): number {
    return this.#starts[line - 1] ?? this.#length;
  }

  /** Offset just past the line's break (or the end of the text on the last line). */
  lineEndWithBreak(line: number): number {
    return this.#starts[line] ?? this.#length;
  }

  /** The line holding offset `index` (an offset at the end of the text is on the last line). */
  lineAt(index: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#starts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

// Stored form: [version, flags, length of start (u32 BE), start, end].
function encodeAnchor(start: Uint8Array, end: Uint8Array, empty: boolean): Uint8Array {
  const out = new Uint8Array(6 + start.length + end.length);
  out[0] = FORMAT_VERSION;
  out[1] = empty ? FLAG_EMPTY : 0;
  new DataView(out.buffer).setUint32(2, start.length);
  out.set(start, 6);
  out.set(end, 6 + start.length);
  return out;
}

function decodeAnchor(bytes: Uint8Array): { start: Uint8Array; end: Uint8Array; empty: boolean } | null {
  if (bytes.length < 6 || bytes[0] !== FORMAT_VERSION) return null;
  const startLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(2);
  if (6 + startLength >= bytes.length) return null;
  return {
    start: bytes.subarray(6, 6 + startLength),
    end: bytes.subarray(6 + startLength),
    empty: ((bytes[1] ?? 0) & FLAG_EMPTY) !== 0,
  };
}
