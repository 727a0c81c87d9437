import * as Y from "yjs";

/** The shared type every file document keeps its text in (API.md, edits). */
export const TEXT_NAME = "content";

export type UpdateProblem = "MALFORMED" | "WRONG_TYPE" | "MISSING_DEPENDENCIES";

interface Range {
  client: number;
  start: number;
  end: number;
}

/**
 * Decides, without applying it, whether a Yjs update can be applied to `doc` cleanly. Yjs itself
 * would accept anything: a malformed update throws halfway, and one whose dependencies are missing
 * is parked as "pending" inside the document forever. The server must refuse both, and refuse
 * updates that create root types other than the file's text (they would not be part of the file).
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array): UpdateProblem | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return "MALFORMED";
  }
  const own: Range[] = [];
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) return "MISSING_DEPENDENCIES";
    own.push({ client: struct.id.client, start: struct.id.clock, end: struct.id.clock + struct.length });
  }
  const known = (client: number, clock: number) =>
    clock < Y.getState(doc.store, client) || own.some((r) => r.client === client && clock >= r.start && clock < r.end);

  // Each client's structs must continue where the document's state for that client ends.
  const firstByClient = new Map<number, number>();
  for (const r of own) firstByClient.set(r.client, Math.min(firstByClient.get(r.client) ?? Infinity, r.start));
  for (const [client, first] of firstByClient) {
    if (first > Y.getState(doc.store, client)) return "MISSING_DEPENDENCIES";
  }

  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (typeof struct.parent === "string" && struct.parent !== TEXT_NAME) return "WRONG_TYPE";
    if (struct.parentSub !== null && typeof struct.parent === "string") return "WRONG_TYPE";
    for (const ref of [struct.origin, struct.rightOrigin, struct.parent instanceof Y.ID ? struct.parent : null]) {
      if (ref instanceof Y.ID && !known(ref.client, ref.clock)) return "MISSING_DEPENDENCIES";
    }
    if (struct.parent === null && struct.origin === null && struct.rightOrigin === null) return "MALFORMED";
  }
  for (const [client, deletes] of decoded.ds.clients) {
    for (const item of deletes) {
      if (item.len > 0 && !known(client, item.clock + item.len - 1)) return "MISSING_DEPENDENCIES";
    }
  }
  return null;
}
