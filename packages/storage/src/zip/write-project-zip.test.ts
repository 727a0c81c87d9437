import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import unzipper from "unzipper";
import type { TreeEntry } from "../tree-entry.js";
import { readTemplateZip } from "./read-template-zip.js";
import { writeProjectZip } from "./write-project-zip.js";

const STORED = 0;
const DEFLATED = 8;

describe("writeProjectZip", () => {
  it("writes full paths, a record per directory, UTF-8 flagged names and exact bytes", async () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const zip = await writeProjectZip([
      { path: "z/ü.bin", type: "file", content: binary },
      { path: "z", type: "directory" },
      { path: "empty", type: "directory" },
    ]);
    // Read back by another implementation than ours.
    const directory = await unzipper.Open.buffer(zip);
    expect(directory.files.map((file) => file.path)).toEqual(["empty/", "z/", "z/ü.bin"]);
    const file = directory.files[2];
    expect(file?.flags ? file.flags & 0x800 : 0).toBe(0x800);
    expect((await file?.buffer())?.equals(binary)).toBe(true);
    // Unix modes: directories are directories, files regular files.
    expect(directory.files.map((f) => (f.externalFileAttributes >>> 16) & 0o170000)).toEqual([0o040000, 0o040000, 0o100000]);
  });

  it("deflates what shrinks, stores what does not, and round-trips a large tree byte for byte", async () => {
    const tree: TreeEntry[] = [
      { path: "noise.bin", type: "file", content: randomBytes(64 * 1024) },
      { path: "text.txt", type: "file", content: Buffer.from("hello world\n".repeat(5000)) },
      { path: "empty.txt", type: "file", content: Buffer.alloc(0) },
      ...Array.from({ length: 300 }, (_, i): TreeEntry => ({ path: `src/m${i}.py`, type: "file", content: Buffer.from(`# module ${i}\n`.repeat(i)) })),
      { path: "src", type: "directory" },
    ];
    const zip = await writeProjectZip(tree);
    const directory = await unzipper.Open.buffer(zip);
    const method = (name: string) => directory.files.find((f) => f.path === name)?.compressionMethod;
    expect(method("noise.bin")).toBe(STORED);
    expect(method("text.txt")).toBe(DEFLATED);
    expect(method("empty.txt")).toBe(STORED);
    for (const record of directory.files.filter((f) => f.type === "File").slice(0, 20)) {
      const original = tree.find((e) => e.path === record.path)?.content;
      expect((await record.buffer()).equals(original ?? Buffer.alloc(1))).toBe(true);
    }
    const back = await readTemplateZip(zip);
    const byPath = new Map(back.map((e) => [e.path, e]));
    expect(back).toHaveLength(tree.length);
    for (const entry of tree) {
      expect(byPath.get(entry.path)?.type).toBe(entry.type);
      if (entry.type === "file") expect(byPath.get(entry.path)?.content?.equals(entry.content ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it("stores everything at compression level 0 and writes the given time", async () => {
    const zip = await writeProjectZip([{ path: "a.txt", type: "file", content: Buffer.from("aaaaaaaaaaaaaaaaaaaaaaaa") }], {
      compressionLevel: 0,
      mtime: new Date(2024, 4, 17, 13, 45, 30),
    });
    const [record] = (await unzipper.Open.buffer(zip)).files;
    expect(record?.compressionMethod).toBe(STORED);
    expect(record?.lastModifiedDateTime.getTime()).toBe(new Date(2024, 4, 17, 13, 45, 30).getTime());
  });

  it("refuses a tree that would need ZIP64", async () => {
    const many = Array.from({ length: 0x10000 }, (_, i): TreeEntry => ({ path: `d${i}`, type: "directory" }));
    await expect(writeProjectZip(many)).rejects.toThrow(RangeError);
  });
});
