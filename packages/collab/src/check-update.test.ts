import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { checkUpdate, TEXT_NAME } from "./check-update.js";

function docWith(text: string) {
  const doc = new Y.Doc();
  doc.getText(TEXT_NAME).insert(0, text);
  return doc;
}

/** A replica of `doc` that edits and returns the update its edit produced. */
function editOn(doc: Y.Doc, edit: (text: Y.Text) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(replica);
  edit(replica.getText(TEXT_NAME));
  return Y.encodeStateAsUpdate(replica, before);
}

describe("checkUpdate", () => {
  it("accepts an edit made on an up-to-date replica", () => {
    const doc = docWith("hello");
    expect(checkUpdate(doc, editOn(doc, (t) => t.insert(5, " world")))).toBeNull();
    expect(checkUpdate(doc, editOn(doc, (t) => t.delete(0, 2)))).toBeNull();
  });

  it("refuses bytes that are not a Yjs update", () => {
    const doc = docWith("x");
    expect(checkUpdate(doc, new Uint8Array([255, 1, 2, 3, 4, 5]))).toBe("MALFORMED");
    expect(checkUpdate(doc, new TextEncoder().encode("not an update at all"))).not.toBeNull();
  });

  it("refuses an update that builds on edits the document lacks", () => {
    const doc = docWith("abc");
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    replica.getText(TEXT_NAME).insert(3, "d"); // not sent to doc
    const sv = Y.encodeStateVector(replica);
    replica.getText(TEXT_NAME).insert(4, "e");
    const second = Y.encodeStateAsUpdate(replica, sv);
    expect(checkUpdate(doc, second)).toBe("MISSING_DEPENDENCIES");
  });

  it("refuses an update meant for another file's document", () => {
    const doc = docWith("file A");
    const other = docWith("file B");
    const forOther = editOn(other, (t) => t.insert(6, "!"));
    expect(checkUpdate(doc, forOther)).toBe("MISSING_DEPENDENCIES");
  });

  it("refuses an update that creates other root types", () => {
    const doc = docWith("abc");
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(replica);
    replica.getMap("sneaky").set("k", "v");
    expect(checkUpdate(doc, Y.encodeStateAsUpdate(replica, before))).toBe("WRONG_TYPE");
  });

  it("accepts concurrent updates from two replicas in either order", () => {
    const doc = docWith("base");
    const a = editOn(doc, (t) => t.insert(0, "A"));
    const b = editOn(doc, (t) => t.insert(4, "B"));
    expect(checkUpdate(doc, b)).toBeNull();
    Y.applyUpdate(doc, b);
    expect(checkUpdate(doc, a)).toBeNull();
  });
});
