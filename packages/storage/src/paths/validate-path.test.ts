import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isStorageError } from "../errors.js";
import { validatePath } from "./validate-path.js";

const expectInvalid = (path: string, limits?: Parameters<typeof validatePath>[1]) =>
  expect(() => validatePath(path, limits)).toThrow(expect.objectContaining({ name: "StorageError", code: "INVALID_PATH" }));

describe("validatePath", () => {
  it.each(["a", "a.txt", "src/main.py", "a/b/c/d.e.f", ".hidden", "..dots", "dots..", "a/...", "with space/ x ", "ünïcödé/日本語 ✓/🌍.txt", "a:b", "C:", "~", "-rf"])(
    "accepts %j unchanged",
    (path) => {
      expect(validatePath(path)).toBe(path);
    },
  );

  it("refuses an empty path", () => expectInvalid(""));

  it.each(["/a", "/", "//a"])("refuses the absolute path %j", (path) => expectInvalid(path));

  it.each([".", "..", "./a", "a/.", "a/./b", "../a", "a/..", "a/../b"])("refuses the dot segments in %j", (path) => expectInvalid(path));

  it.each(["a/", "a//b", "a/b/", "/"])("refuses the empty segment in %j", (path) => expectInvalid(path));

  it.each(["a\\b", "\\a", "..\\a", "a\\"])("refuses the backslash in %j", (path) => expectInvalid(path));

  it.each([
    ["NUL", "a\u0000b"],
    ["tab", "a\tb"],
    ["newline", "a\nb"],
    ["carriage return", "a\rb"],
    ["unit separator", "a\u001fb"],
    ["DEL", "a\u007fb"],
    ["C1 0x80", "a\u0080b"],
    ["C1 0x9f", "a\u009fb"],
  ])("refuses a control character (%s)", (_name, path) => expectInvalid(path));

  it("refuses strings that are not valid UTF-8 (lone surrogates)", () => {
    expectInvalid("a\ud800b");
    expectInvalid("a\udc00");
    expect(validatePath("a\ud83d\ude00")).toBe("a😀");
  });

  it("counts the path limit in UTF-8 bytes", () => {
    const segment = "a".repeat(200);
    const path1024 = [segment, segment, segment, segment, "b".repeat(1024 - 4 * 201)].join("/");
    expect(Buffer.byteLength(path1024)).toBe(1024);
    expect(validatePath(path1024)).toBe(path1024);
    expectInvalid(`${path1024}x`);
    const wide = Array.from({ length: 4 }, () => "é".repeat(127)).join("/"); // 4 × 254 + 3 = 1019 bytes
    expect(validatePath(wide)).toBe(wide);
    expectInvalid(`${wide}/ééé`); // 1026 bytes, 1022 characters
  });

  it("counts the segment limit in UTF-8 bytes", () => {
    expect(validatePath("a".repeat(255))).toHaveLength(255);
    expectInvalid("a".repeat(256));
    expect(validatePath("é".repeat(127))).toHaveLength(127); // 254 bytes
    expectInvalid("é".repeat(128)); // 256 bytes in 128 characters
    expectInvalid(`ok/${"🌍".repeat(64)}`); // 256 bytes
  });

  it("takes custom limits", () => {
    expect(validatePath("abcd/ef", { maxBytes: 7, maxSegmentBytes: 4 })).toBe("abcd/ef");
    expectInvalid("abcd/efg", { maxBytes: 7 });
    expectInvalid("abcde", { maxSegmentBytes: 4 });
  });

  it("refuses with a StorageError naming the path", () => {
    try {
      validatePath("a//b");
      expect.unreachable();
    } catch (error) {
      expect(isStorageError(error, "INVALID_PATH")).toBe(true);
      expect((error as Error).message).toContain('"a//b"');
    }
  });
});

// eslint-disable-next-line no-control-regex -- the rule under test is about control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

describe("validatePath (properties)", () => {
  const forbidden = new Set(["/", "\\"]);
  const segmentChar = fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 1 })
    .filter((c) => !forbidden.has(c) && !CONTROL.test(c));
  const segment = fc
    .array(segmentChar, { minLength: 1, maxLength: 12 })
    .map((chars) => chars.join(""))
    .filter((s) => s !== "." && s !== "..");
  const validPath = fc.array(segment, { minLength: 1, maxLength: 8 }).map((segments) => segments.join("/"));

  it("accepts every path made of valid segments, unchanged", () => {
    fc.assert(fc.property(validPath, (path) => validatePath(path) === path));
  });

  it("never throws anything but INVALID_PATH, and what it accepts obeys every rule", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (path) => {
        let accepted: string;
        try {
          accepted = validatePath(path, { maxBytes: 30, maxSegmentBytes: 10 });
        } catch (error) {
          return isStorageError(error, "INVALID_PATH");
        }
        const segments = accepted.split("/");
        return (
          accepted === path &&
          Buffer.byteLength(accepted) <= 30 &&
          Buffer.from(accepted, "utf8").toString("utf8") === accepted &&
          !CONTROL.test(accepted) &&
          !accepted.includes("\\") &&
          segments.every((s) => s !== "" && s !== "." && s !== ".." && Buffer.byteLength(s) <= 10)
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses a valid path once a forbidden piece is spliced in anywhere", () => {
    const poison = fc.constantFrom("\u0000", "\n", "\u007f", "\u0085", "\\", "//", "/../", "/./", "\ud800");
    fc.assert(
      fc.property(validPath, poison, fc.nat(), (path, bad, at) => {
        const index = at % (path.length + 1);
        const spliced = path.slice(0, index) + bad + path.slice(index);
        try {
          validatePath(spliced);
          return false;
        } catch (error) {
          return isStorageError(error, "INVALID_PATH");
        }
      }),
    );
  });

  it("refuses anything with a leading slash", () => {
    fc.assert(fc.property(validPath, (path) => {
      expectInvalid(`/${path}`);
    }));
  });
});
