import * as Y from "yjs";
import { TEXT_NAME } from "./check-update.js";

/**
 * Turns "the file is now `next`" into the smallest single edit (common prefix and suffix kept),
 * applied to `doc`; returns the Yjs update it produced, or null when nothing changed. Concurrent
 * edits outside the replaced span survive, which a whole-text replacement would erase.
 */
export function replaceText(doc: Y.Doc, next: string): Uint8Array | null {
  const text = doc.getText(TEXT_NAME);
  const current = text.toString();
  if (current === next) return null;
  let start = 0;
  const max = Math.min(current.length, next.length);
  while (start < max && current.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) end++;
  // Never split a surrogate pair: Yjs counts UTF-16 units and a half pair would corrupt the text.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
  const before = Y.encodeStateVector(doc);
  doc.transact(() => {
    const removed = current.length - start - end;
    if (removed > 0) text.delete(start, removed);
    const inserted = next.slice(start, next.length - end);
    if (inserted) text.insert(start, inserted);
  });
  return Y.encodeStateAsUpdate(doc, before);
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
