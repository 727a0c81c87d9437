import { describe, expect, it } from "vitest";
import type { TreeEntry } from "../tree-entry.js";
import { RecentTemplates } from "./recent-templates.js";

const tree = (bytes: number): TreeEntry[] => [
  { path: "d", type: "directory" },
  { path: "f", type: "file", content: Buffer.alloc(bytes) },
];

describe("RecentTemplates", () => {
  it("gives back what it keeps until the TTL passes", () => {
    const recent = new RecentTemplates(1000, 100);
    const entries = tree(10);
    recent.set("a", entries, 0);
    expect(recent.get("a", 99)).toBe(entries);
    expect(recent.get("a", 100)).toBeUndefined();
    expect(recent.get("b", 0)).toBeUndefined();
  });

  it("drops the oldest templates to stay within its byte budget, and never keeps one larger than it", () => {
    // Each tree costs its content plus its paths: 400 + 2 bytes.
    const recent = new RecentTemplates(1000, 10_000);
    recent.set("a", tree(400), 0);
    recent.set("b", tree(400), 0);
    recent.set("c", tree(400), 0);
    expect([recent.get("a", 1), recent.get("b", 1), recent.get("c", 1)].map(Boolean)).toEqual([false, true, true]);
    recent.set("huge", tree(2000), 0);
    expect(recent.get("huge", 1)).toBeUndefined();
    expect(recent.get("c", 1)).toBeDefined();
  });

  it("keeps nothing with a budget of 0", () => {
    const recent = new RecentTemplates(0, 10_000);
    recent.set("a", tree(1), 0);
    expect(recent.get("a", 0)).toBeUndefined();
  });
});
