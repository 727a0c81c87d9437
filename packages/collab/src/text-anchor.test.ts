import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { TEXT_NAME } from "./check-update.js";
import { createTextAnchor, LineRangeError, MAX_EXCERPT_CHARS, relocateTextAnchor, resolveTextAnchors } from "./text-anchor.js";

function docOf(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText(TEXT_NAME).insert(0, text);
  return doc;
}

const lines = (n: number, prefix = "line") => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join("\n") + "\n";
const resolve = (doc: Y.Doc, anchor: Uint8Array) => resolveTextAnchors(doc, [anchor])[0];
const offsetOfLine = (doc: Y.Doc, line: number) => {
  const text = doc.getText(TEXT_NAME).toString();
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf("\n", offset) + 1;
  return offset;
};

describe("createTextAnchor", () => {
  it("keeps the lines' text as the excerpt", () => {
    const doc = docOf(lines(10));
    const { excerpt } = createTextAnchor(doc, { start: 4, end: 6 });
    expect(excerpt).toBe("line 4\nline 5\nline 6");
  });

  it.each([
    [{ start: 3, end: 2 }, "not an ordered range"],
    [{ start: 0, end: 2 }, "not an ordered range"],
    [{ start: 5, end: 12 }, "past its end"],
    [{ start: 12, end: 12 }, "past its end"],
  ])("refuses %j", (range, message) => {
    const doc = docOf(lines(10)); // 11 lines: the last one is empty
    expect(() => createTextAnchor(doc, range)).toThrow(LineRangeError);
    expect(() => createTextAnchor(doc, range)).toThrow(message);
  });

  it("anchors the empty last line, and an empty file", () => {
    const doc = docOf("a\nb\n");
    const { anchor } = createTextAnchor(doc, { start: 3, end: 3 });
    doc.getText(TEXT_NAME).insert(0, "x\n");
    expect(resolve(doc, anchor)).toEqual({ state: "live", lines: { start: 4, end: 4 }, excerpt: "" });
    expect(createTextAnchor(docOf("a\nb\n"), { start: 2, end: 3 }).excerpt).toBe("b\n");
    const empty = docOf("");
    const first = createTextAnchor(empty, { start: 1, end: 1 });
    empty.getText(TEXT_NAME).insert(0, "hello");
    expect(resolve(empty, first.anchor)).toMatchObject({ state: "live", lines: { start: 1, end: 1 } });
  });

  it("cuts long excerpts", () => {
    const doc = docOf("x".repeat(MAX_EXCERPT_CHARS * 2));
    expect(createTextAnchor(doc, { start: 1, end: 1 }).excerpt).toHaveLength(MAX_EXCERPT_CHARS);
  });
});

describe("resolveTextAnchors", () => {
  it("shifts by the lines inserted above", () => {
    const doc = docOf(lines(10));
    const { anchor } = createTextAnchor(doc, { start: 4, end: 6 });
    doc.getText(TEXT_NAME).insert(0, "a\nb\nc\n");
    expect(resolve(doc, anchor)).toEqual({ state: "live", lines: { start: 7, end: 9 }, excerpt: "line 4\nline 5\nline 6" });
    // Enter at the very start of the first line pushes the code (and the range) down.
    doc.getText(TEXT_NAME).insert(offsetOfLine(doc, 7), "\n");
    expect(resolve(doc, anchor)).toMatchObject({ lines: { start: 8, end: 10 } });
  });

  it("grows and shrinks with edits inside, and ignores edits just outside", () => {
    const doc = docOf(lines(10));
    const text = doc.getText(TEXT_NAME);
    const { anchor } = createTextAnchor(doc, { start: 4, end: 6 });
    text.insert(offsetOfLine(doc, 5), "new a\nnew b\n");
    expect(resolve(doc, anchor)).toMatchObject({ lines: { start: 4, end: 8 } });
    // Typing at the end of the range's last line stays inside the range.
    text.insert(offsetOfLine(doc, 9) - 1, " (edited)");
    expect(resolve(doc, anchor)).toMatchObject({ lines: { start: 4, end: 8 } });
    expect((resolve(doc, anchor) as { excerpt: string }).excerpt.endsWith("line 6 (edited)")).toBe(true);
    // A line added right after the range is not part of it.
    text.insert(offsetOfLine(doc, 9), "after\n");
    expect(resolve(doc, anchor)).toMatchObject({ lines: { start: 4, end: 8 } });
    // Remove three of the five lines.
    const from = offsetOfLine(doc, 4);
    text.delete(from, offsetOfLine(doc, 7) - from);
    expect(resolve(doc, anchor)).toEqual({ state: "live", lines: { start: 4, end: 5 }, excerpt: "line 5\nline 6 (edited)" });
  });

  it("reports a range whose text was all deleted, even when a bigger selection is replaced", () => {
    const doc = docOf(lines(10));
    const text = doc.getText(TEXT_NAME);
    const a = createTextAnchor(doc, { start: 4, end: 6 }).anchor;
    const b = createTextAnchor(doc, { start: 8, end: 8 }).anchor;
    const from = offsetOfLine(doc, 4);
    text.delete(from, offsetOfLine(doc, 7) - from);
    expect(resolve(doc, a)).toEqual({ state: "deleted" });
    // Replace lines 4..6 (now holding line 7..9) from mid line 3 to mid line 6 with "x".
    const start = offsetOfLine(doc, 3) + 2;
    text.delete(start, offsetOfLine(doc, 6) + 2 - start);
    text.insert(start, "x");
    expect(resolve(doc, b)).toEqual({ state: "deleted" });
  });

  it("resolves the same after the document is stored and loaded again", () => {
    const doc = docOf(lines(10));
    const { anchor } = createTextAnchor(doc, { start: 2, end: 3 });
    doc.getText(TEXT_NAME).insert(0, "top\n");
    doc.getText(TEXT_NAME).delete(offsetOfLine(doc, 6), 7);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(doc));
    expect(resolve(reloaded, anchor)).toEqual(resolve(doc, anchor));
    expect(resolve(reloaded, anchor)).toMatchObject({ lines: { start: 3, end: 4 } });
  });

  it("reports anchors of another document as lost, and garbage as lost", () => {
    const { anchor } = createTextAnchor(docOf(lines(5)), { start: 2, end: 2 });
    expect(resolve(docOf(lines(5)), anchor)).toEqual({ state: "lost" });
    expect(resolve(docOf("x"), new Uint8Array([9, 9, 9]))).toEqual({ state: "lost" });
    expect(resolve(docOf("x"), new Uint8Array([1, 0, 0, 0, 0, 200, 1]))).toEqual({ state: "lost" });
  });

  it("converges: replicas editing concurrently resolve the same range", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat(), fc.constantFrom("x", "\n", "ab\n", "")), { maxLength: 40 }),
        (edits) => {
          const origin = docOf(lines(12));
          const { anchor } = createTextAnchor(origin, { start: 5, end: 7 });
          const replicas = [0, 1, 2, 3].map(() => {
            const r = new Y.Doc();
            Y.applyUpdate(r, Y.encodeStateAsUpdate(origin));
            return r;
          });
          for (const [who, at, insert] of edits) {
            const t = replicas[who]!.getText(TEXT_NAME);
            const position = at % (t.length + 1);
            if (insert === "") t.delete(position, Math.min(3, t.length - position));
            else t.insert(position, insert);
          }
          // Each replica receives the others' changes, in its own order.
          const updates = replicas.map((r) => Y.encodeStateAsUpdate(r));
          replicas.forEach((r, i) => {
            for (let k = 1; k < replicas.length; k++) Y.applyUpdate(r, updates[(i + k) % replicas.length]!);
          });
          const texts = replicas.map((r) => r.getText(TEXT_NAME).toString());
          for (const text of texts) expect(text).toBe(texts[0]);
          const results = replicas.map((r) => resolve(r, anchor));
          for (const result of results) expect(result).toEqual(results[0]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("follows only the lines above when every edit is outside the range", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.constantFrom("x", "\n", "a\nb\n")), { maxLength: 30 }),
        (edits) => {
          const doc = docOf(lines(12));
          const text = doc.getText(TEXT_NAME);
          const { anchor, excerpt } = createTextAnchor(doc, { start: 5, end: 7 });
          let linesAbove = 4;
          for (const [above, at, insert] of edits) {
            const rangeFrom = offsetOfLine(doc, linesAbove + 1);
            const rangeTo = offsetOfLine(doc, linesAbove + 4);
            // Above: anywhere before the range's first character; below: after its last newline.
            const position = above ? at % rangeFrom : rangeTo + (at % (text.length - rangeTo + 1));
            text.insert(position, insert);
            if (above) linesAbove += insert.split("\n").length - 1;
          }
          expect(resolve(doc, anchor)).toEqual({ state: "live", lines: { start: linesAbove + 1, end: linesAbove + 3 }, excerpt });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("relocateTextAnchor", () => {
  it("finds the excerpt nearest to where it was, else keeps the lines", () => {
    const doc = docOf("a\nfoo\nb\nc\nfoo\nd\n");
    expect(relocateTextAnchor(doc, { lines: { start: 4, end: 4 }, excerpt: "foo" })).toMatchObject({ lines: { start: 5, end: 5 } });
    expect(relocateTextAnchor(doc, { lines: { start: 1, end: 2 }, excerpt: "foo" })).toMatchObject({ lines: { start: 2, end: 2 } });
    // "oo" is not a whole line: keep the lines it had.
    expect(relocateTextAnchor(doc, { lines: { start: 3, end: 4 }, excerpt: "oo" })).toMatchObject({ lines: { start: 3, end: 4 }, excerpt: "b\nc" });
    expect(relocateTextAnchor(doc, { lines: { start: 30, end: 31 }, excerpt: "zzz" })).toBeNull();
    const relocated = relocateTextAnchor(doc, { lines: { start: 6, end: 6 }, excerpt: "d" })!;
    doc.getText(TEXT_NAME).insert(0, "\n");
    expect(resolve(doc, relocated.anchor)).toMatchObject({ lines: { start: 7, end: 7 } });
  });
});
