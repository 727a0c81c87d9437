import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { TEXT_NAME } from "./check-update.js";
import { replaceText } from "./text-diff.js";

describe("replaceText", () => {
  it("produces an update that turns any text into any other", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (from, to) => {
        const doc = new Y.Doc();
        doc.getText(TEXT_NAME).insert(0, from);
        const remote = new Y.Doc();
        Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
        const update = replaceText(doc, to);
        expect(doc.getText(TEXT_NAME).toString()).toBe(to);
        if (update) Y.applyUpdate(remote, update);
        expect(remote.getText(TEXT_NAME).toString()).toBe(to);
      }),
    );
  });

  it("keeps a concurrent edit outside the replaced span", () => {
    const base = "line 1\nline 2\nline 3\n";
    const server = new Y.Doc();
    server.getText(TEXT_NAME).insert(0, base);
    const editor = new Y.Doc();
    Y.applyUpdate(editor, Y.encodeStateAsUpdate(server));
    const sv = Y.encodeStateVector(editor);
    editor.getText(TEXT_NAME).insert(0, "// header\n");
    const concurrent = Y.encodeStateAsUpdate(editor, sv);
    // Someone saves a whole file that changed only line 3.
    replaceText(server, "line 1\nline 2\nline three\n");
    Y.applyUpdate(server, concurrent);
    expect(server.getText(TEXT_NAME).toString()).toBe("// header\nline 1\nline 2\nline three\n");
  });

  it("returns null when nothing changes", () => {
    const doc = new Y.Doc();
    doc.getText(TEXT_NAME).insert(0, "same");
    expect(replaceText(doc, "same")).toBeNull();
  });
});
