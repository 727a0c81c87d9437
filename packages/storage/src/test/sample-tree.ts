import { randomBytes } from "node:crypto";
import type { TreeEntry } from "../tree-entry.js";

/** A small but real project: nested folders, UTF-8 names, binary files, an empty directory. */
export function sampleTree(): TreeEntry[] {
  return [
    { path: "README.md", type: "file", content: Buffer.from("# Lesson\n\nStart with src/main.py\n") },
    { path: "src", type: "directory" },
    { path: "src/main.py", type: "file", content: Buffer.from("print('héllo')\n") },
    { path: "src/ünïcödé", type: "directory" },
    { path: "src/ünïcödé/日本語 ✓.txt", type: "file", content: Buffer.from("κόσμε 🌍\n") },
    { path: "assets", type: "directory" },
    { path: "assets/all-bytes.bin", type: "file", content: Buffer.from(Array.from({ length: 256 }, (_, i) => i)) },
    { path: "assets/noise.bin", type: "file", content: randomBytes(40_000) },
    { path: "empty-dir", type: "directory" },
    { path: "empty.txt", type: "file", content: Buffer.alloc(0) },
  ];
}

/** Comparable form of a tree: sorted [path, type, base64 content]. */
export function treeSummary(entries: readonly TreeEntry[]): [string, string, string | undefined][] {
  return entries
    .map((e): [string, string, string | undefined] => [e.path, e.type, e.type === "file" ? (e.content ?? Buffer.alloc(0)).toString("base64") : undefined])
    .sort(([a], [b]) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
}
