import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isStorageError, type StorageError, type TemplateInvalidReason } from "../errors.js";
import type { TreeEntry } from "../tree-entry.js";
import { readTemplateZip } from "./read-template-zip.js";
import { writeProjectZip } from "./write-project-zip.js";
import { buildStreamedZip, buildZip, centralRecords, patchBytes, patchCentralRecord } from "./zip-fixtures.js";

const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

async function refusal(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the archive to be refused");
    },
    (e: unknown) => e,
  );
  if (!isStorageError(error, "TEMPLATE_INVALID")) throw error;
  return error;
}

async function expectReason(promise: Promise<unknown>, reason: TemplateInvalidReason): Promise<void> {
  expect((await refusal(promise)).reason).toBe(reason);
}

const summary = (entries: TreeEntry[]) => entries.map((e) => [e.path, e.type, e.content?.toString("base64")]);

describe("readTemplateZip accepts", () => {
  it("nested folders, UTF-8 names, binary and empty files, empty directories", async () => {
    const binary = randomBytes(300_000);
    const zip = await buildZip([
      { name: "README.md", content: Buffer.from("# Hello\n") },
      { name: "src/main.py", content: Buffer.from("print('hi')\n") },
      { name: "src/ünïcödé/日本語 ✓.txt", content: Buffer.from("κόσμε 🌍") },
      { name: "assets/logo.bin", content: binary, options: { compress: false } },
      { name: "assets/all-bytes.bin", content: allBytes },
      { name: "empty.txt" },
      { name: "empty-dir", directory: true },
      { name: "deep/a/b/c", directory: true },
    ]);
    const entries = await readTemplateZip(zip);
    expect(entries.map((e) => [e.path, e.type])).toEqual([
      ["README.md", "file"],
      ["assets", "directory"],
      ["assets/all-bytes.bin", "file"],
      ["assets/logo.bin", "file"],
      ["deep", "directory"],
      ["deep/a", "directory"],
      ["deep/a/b", "directory"],
      ["deep/a/b/c", "directory"],
      ["empty-dir", "directory"],
      ["empty.txt", "file"],
      ["src", "directory"],
      ["src/main.py", "file"],
      ["src/ünïcödé", "directory"],
      ["src/ünïcödé/日本語 ✓.txt", "file"],
    ]);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(byPath.get("assets/logo.bin")?.content?.equals(binary)).toBe(true);
    expect(byPath.get("assets/all-bytes.bin")?.content?.equals(allBytes)).toBe(true);
    expect(byPath.get("empty.txt")?.content?.length).toBe(0);
    expect(byPath.get("src/ünïcödé/日本語 ✓.txt")?.content?.toString()).toBe("κόσμε 🌍");
  });

  it("by ranges from a source: the tail, the directory, then the entries streamed once in order", async () => {
    const tree = Array.from({ length: 50 }, (_, i) => ({ name: `src/f${i}.txt`, content: randomBytes(2000 + i) }));
    const zip = await buildZip(tree);
    const reads: { start: number; end: number | undefined }[] = [];
    const source = {
      size: zip.length,
      read: (range: { start: number; end?: number }) => {
        reads.push({ start: range.start, end: range.end });
        return Promise.resolve(Readable.from([zip.subarray(range.start, range.end)]));
      },
    };
    const entries = await readTemplateZip(source);
    const byPath = new Map(entries.map((e) => [e.path, e.content]));
    for (const { name, content } of tree) expect(byPath.get(name)?.equals(content)).toBe(true);
    const entryReads = reads.filter((r) => r.start === 0);
    expect(entryReads).toHaveLength(1); // the entries, front to back, in one pass
    expect(reads[0]?.end).toBe(zip.length); // the tail first
    // unzipper's reads of the end record and the directory come from the tail already read.
    expect(reads).toHaveLength(2);
  });

  it("a stream as well as a buffer", async () => {
    const zip = await buildZip([{ name: "a.txt", content: Buffer.from("a") }]);
    const chunks = [zip.subarray(0, 10), zip.subarray(10, 50), zip.subarray(50)];
    expect(summary(await readTemplateZip(Readable.from(chunks)))).toEqual(summary(await readTemplateZip(zip)));
  });

  it("a long archive comment, zip64 records, ./ and backslash separators", async () => {
    const comment = "x".repeat(1000);
    expect(summary(await readTemplateZip(await buildZip([{ name: "a.txt", content: Buffer.from("a") }], { comment })))).toEqual([
      ["a.txt", "file", "YQ=="],
    ]);
    const zip64 = await buildZip([{ name: "z.txt", content: Buffer.from("z"), options: { forceZip64Format: true } }]);
    expect(summary(await readTemplateZip(zip64))).toEqual([["z.txt", "file", "eg=="]]);
    const dotted = await buildZip([{ name: "./src/./x.txt", content: Buffer.from("x") }]);
    expect(summary(await readTemplateZip(dotted)).map(([p]) => p)).toEqual(["src", "src/x.txt"]);
    const windows = patchBytes(await buildZip([{ name: "srcXmain.c", content: Buffer.from("int") }]), "srcXmain.c", "src\\main.c");
    expect(summary(await readTemplateZip(windows)).map(([p]) => p)).toEqual(["src", "src/main.c"]);
  });

  it("what writeProjectZip writes, byte for byte", async () => {
    const tree: TreeEntry[] = [
      { path: "a", type: "directory" },
      { path: "a/b.bin", type: "file", content: randomBytes(70_000) },
      { path: "a/empty", type: "directory" },
      { path: "ß/ü.txt", type: "file", content: Buffer.from("ü") },
      { path: "ß", type: "directory" },
      { path: "zero.txt", type: "file", content: Buffer.alloc(0) },
    ];
    for (const compressionLevel of [0, 6]) {
      const entries = await readTemplateZip(await writeProjectZip(tree, { compressionLevel }));
      expect(summary(entries)).toEqual(summary([...tree].sort((x, y) => (x.path < y.path ? -1 : 1))));
    }
  });
});

describe("readTemplateZip refuses", () => {
  it("zip slip with ../ (and ..\\)", async () => {
    const zip = await buildZip([{ name: "xx/evil.txt", content: Buffer.from("pwned") }]);
    await expectReason(readTemplateZip(patchBytes(zip, "xx/evil.txt", "../evil.txt")), "ZIP_SLIP");
    await expectReason(readTemplateZip(patchBytes(zip, "xx/evil.txt", "..\\evil.txt")), "ZIP_SLIP");
    const nested = await buildZip([{ name: "a/xx/xx/b", content: Buffer.from("x") }]);
    await expectReason(readTemplateZip(patchBytes(nested, "a/xx/xx/b", "a/../../b")), "ZIP_SLIP");
  });

  it("absolute paths and drive letters", async () => {
    const zip = await buildZip([{ name: "_etc/passwd", content: Buffer.from("root") }]);
    await expectReason(readTemplateZip(patchBytes(zip, "_etc/passwd", "/etc/passwd")), "ABSOLUTE_PATH");
    const drive = await buildZip([{ name: "Cx/x.txt", content: Buffer.from("x") }]);
    await expectReason(readTemplateZip(patchBytes(drive, "Cx/x.txt", "C:/x.txt")), "ABSOLUTE_PATH");
    await expectReason(readTemplateZip(patchBytes(drive, "Cx/x.txt", "C:\\x.txt")), "ABSOLUTE_PATH");
  });

  it("symbolic links (S_IFLNK in the external attributes)", async () => {
    const zip = await buildZip([
      { name: "ok.txt", content: Buffer.from("fine") },
      { name: "link", content: Buffer.from("/etc/passwd"), options: { mode: 0o120777 } },
    ]);
    await expectReason(readTemplateZip(zip), "SYMLINK");
  });

  it("devices and FIFOs, encryption, unknown compression", async () => {
    const zip = await buildZip([{ name: "f", content: Buffer.from("x") }]);
    await expectReason(readTemplateZip(patchCentralRecord(zip, 0, { externalAttributes: 0o010644 << 16 })), "UNSUPPORTED");
    await expectReason(readTemplateZip(patchCentralRecord(zip, 0, { flags: 0x0801 })), "UNSUPPORTED");
    const record = centralRecords(zip)[0] as number;
    const bzip2 = Buffer.from(zip);
    bzip2.writeUInt16LE(12, record + 10);
    await expectReason(readTemplateZip(bzip2), "UNSUPPORTED");
  });

  it("a zip bomb declaring its size (200 MB of zeros)", async () => {
    const size = 200 * 1024 * 1024;
    const zip = await buildStreamedZip("zeros.bin", function* () {
      const chunk = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < 200; i++) yield chunk;
    }, size);
    expect(zip.length).toBeLessThan(1024 * 1024);
    await expectReason(readTemplateZip(zip), "ZIP_BOMB");
  });

  it("a zip bomb lying about its size, stopped while inflating", async () => {
    const zip = await buildZip([{ name: "zeros.bin", content: Buffer.alloc(20 * 1024 * 1024) }]);
    // Refused from the directory alone: 20 KB of deflate cannot come from 1,000 bytes.
    const liar = patchCentralRecord(zip, 0, { uncompressedSize: 1000 });
    await expectReason(readTemplateZip(liar), "ZIP_BOMB");
    // A lie the sizes cannot show (just above the compressed size): zlib stops at the declared size.
    const compressed = zip.readUInt32LE((centralRecords(zip)[0] as number) + 20);
    const subtle = patchCentralRecord(zip, 0, { uncompressedSize: compressed + 2000 });
    const stopped = await refusal(readTemplateZip(subtle));
    expect(stopped.reason).toBe("ZIP_BOMB");
    expect(stopped.cause).toMatchObject({ code: "ERR_BUFFER_TOO_LARGE" });
    // Many honest-looking entries that together cross the total.
    const many = await buildZip(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}`, content: Buffer.alloc(1024 * 1024) })));
    await expectReason(readTemplateZip(many, { maxTotalBytes: 5 * 1024 * 1024 }), "ZIP_BOMB");
  });

  it("two records pointing at the same bytes (overlapping entries)", async () => {
    const zip = await buildZip([
      { name: "a.txt", content: Buffer.from("x".repeat(1000)) },
      { name: "b.txt", content: Buffer.from("x".repeat(1000)) },
    ]);
    const [, second] = centralRecords(zip) as [number, number];
    const overlapping = Buffer.from(zip);
    overlapping.writeUInt32LE(0, second + 42); // b.txt's local header offset → a.txt's
    await expectReason(readTemplateZip(overlapping), "CORRUPT");
  });

  it("a single file over maxFileBytes", async () => {
    const zip = await buildZip([{ name: "big.bin", content: Buffer.alloc(2048) }]);
    await expectReason(readTemplateZip(zip, { maxFileBytes: 1024 }), "FILE_TOO_LARGE");
  });

  it("more entries than allowed, counting implied directories", async () => {
    const zip = await buildZip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, content: Buffer.from("x") })));
    await expectReason(readTemplateZip(zip, { maxEntries: 10 }), "TOO_MANY_ENTRIES");
    const implied = await buildZip(Array.from({ length: 5 }, (_, i) => ({ name: `d${i}/f.txt`, content: Buffer.from("x") })));
    await expectReason(readTemplateZip(implied, { maxEntries: 9 }), "TOO_MANY_ENTRIES");
    await expect(readTemplateZip(implied, { maxEntries: 10 })).resolves.toHaveLength(10);
  });

  it("corrupt archives: truncated, garbage, empty, damaged data", async () => {
    const zip = await buildZip([
      { name: "a.txt", content: Buffer.from("hello hello hello hello hello") },
      { name: "b.bin", content: randomBytes(5000), options: { compress: false } },
    ]);
    await expectReason(readTemplateZip(zip.subarray(0, Math.floor(zip.length / 2))), "CORRUPT");
    await expectReason(readTemplateZip(randomBytes(4096)), "CORRUPT");
    await expectReason(readTemplateZip(Buffer.alloc(0)), "CORRUPT");
    const damaged = Buffer.from(zip);
    damaged[100] = (damaged[100] as number) ^ 0xff; // inside b.bin's stored bytes
    await expectReason(readTemplateZip(damaged), "CORRUPT");
    // The directory points at something that is not a local header, or past the end.
    const misplaced = Buffer.from(zip);
    misplaced.writeUInt32LE(0, 0);
    await expectReason(readTemplateZip(misplaced), "CORRUPT");
    const overrun = Buffer.from(zip);
    overrun.writeUInt32LE(0x7fffffff, (centralRecords(overrun)[1] as number) + 20); // b.bin's compressed size
    await expectReason(readTemplateZip(overrun), "CORRUPT");
  });

  it("names that are not UTF-8 or break path rules", async () => {
    const zip = await buildZip([{ name: "bad-X.txt", content: Buffer.from("x") }]);
    await expectReason(readTemplateZip(patchBytes(zip, "bad-X.txt", Buffer.from("bad-\xff.txt", "latin1"))), "INVALID_NAME");
    await expectReason(readTemplateZip(patchBytes(zip, "bad-X.txt", "bad-\u0001.txt")), "INVALID_NAME");
    await expectReason(readTemplateZip(await buildZip([{ name: "a".repeat(256), content: Buffer.from("x") }])), "INVALID_NAME");
  });

  it("a path listed twice, or both a file and a directory", async () => {
    const twice = await buildZip([
      { name: "a.txt", content: Buffer.from("1") },
      { name: "a.txt", content: Buffer.from("2") },
    ]);
    await expectReason(readTemplateZip(twice), "DUPLICATE_ENTRY");
    const both = await buildZip([
      { name: "a", content: Buffer.from("file") },
      { name: "a/b.txt", content: Buffer.from("x") },
    ]);
    await expectReason(readTemplateZip(both), "DUPLICATE_ENTRY");
  });

  it("an archive larger than maxArchiveBytes, without reading all of a stream", async () => {
    const zip = await buildZip([{ name: "r.bin", content: randomBytes(10_000), options: { compress: false } }]);
    await expectReason(readTemplateZip(zip, { maxArchiveBytes: 5000 }), "ARCHIVE_TOO_LARGE");
    let pulled = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          pulled++;
          yield Buffer.alloc(1024);
        }
      })(),
    );
    await expectReason(readTemplateZip(endless, { maxArchiveBytes: 64 * 1024 }), "ARCHIVE_TOO_LARGE");
    expect(pulled).toBeLessThan(200);
  });
});

describe("readTemplateZip on damaged input (property)", () => {
  it("either reads an archive or refuses it with TEMPLATE_INVALID, never anything else", async () => {
    const zip = await buildZip([
      { name: "dir/a.txt", content: Buffer.from("some text ".repeat(20)) },
      { name: "b.bin", content: allBytes, options: { compress: false } },
      { name: "empty", directory: true },
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: zip.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (edits) => {
          const damaged = Buffer.from(zip);
          for (const [at, value] of edits) damaged[at] = value;
          try {
            const entries = await readTemplateZip(damaged);
            expect(Array.isArray(entries)).toBe(true);
          } catch (error) {
            expect(isStorageError(error, "TEMPLATE_INVALID")).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
