import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isStorageError } from "../errors.js";
import { comparePaths } from "./compare-paths.js";
import { completeTree } from "./complete-tree.js";
import { isSameOrInside, parentPaths } from "./parent-paths.js";

describe("completeTree", () => {
  it("adds implied parents and sorts parents first", () => {
    expect(completeTree([{ path: "b/c/d.txt", type: "file" }, { path: "a", type: "directory" }]).map((e) => [e.path, e.type])).toEqual([
      ["a", "directory"],
      ["b", "directory"],
      ["b/c", "directory"],
      ["b/c/d.txt", "file"],
    ]);
  });

  it("refuses duplicates and files used as directories", () => {
    expect(() => completeTree([{ path: "a", type: "file" }, { path: "a", type: "directory" }])).toThrow(
      expect.objectContaining({ code: "FILE_EXISTS" }),
    );
    try {
      completeTree([{ path: "a", type: "file" }, { path: "a/b", type: "file" }]);
      expect.unreachable();
    } catch (error) {
      expect(isStorageError(error, "NOT_A_DIRECTORY")).toBe(true);
    }
  });
});

describe("paths helpers", () => {
  it("lists ancestors outermost first", () => {
    expect(parentPaths("a/b/c")).toEqual(["a", "a/b"]);
    expect(parentPaths("a")).toEqual([]);
  });

  it("knows what is inside a directory", () => {
    expect(isSameOrInside("a/b", "a")).toBe(true);
    expect(isSameOrInside("a", "a")).toBe(true);
    expect(isSameOrInside("ab", "a")).toBe(false);
  });

  it("orders like UTF-8 bytes (as Redis and S3 do)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        const expected = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        return Math.sign(comparePaths(a, b)) === expected;
      }),
      { numRuns: 2000 },
    );
    expect(["\uffff", "😀", "a"].sort(comparePaths)).toEqual(["a", "\uffff", "😀"]);
  });
});
