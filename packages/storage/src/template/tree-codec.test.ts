import { describe, expect, it } from "vitest";
import { StorageError, isStorageError } from "../errors.js";
import type { TreeEntry } from "../tree-entry.js";
import { decodeTree, encodeRefusal, encodeTree } from "./tree-codec.js";

describe("tree codec", () => {
  it("round-trips a tree with binary, empty files and directories", () => {
    const tree: TreeEntry[] = [
      { path: "d", type: "directory" },
      { path: "d/bin", type: "file", content: Buffer.from([0, 255, 10, 13]) },
      { path: "empty", type: "file", content: Buffer.alloc(0) },
      { path: "ü.txt", type: "file", content: Buffer.from("ü") },
    ];
    expect(decodeTree(encodeTree(tree))).toEqual(tree);
    expect(decodeTree(encodeTree([]))).toEqual([]);
  });

  it("keeps a refusal with its reason", () => {
    const encoded = encodeRefusal(new StorageError("TEMPLATE_INVALID", "bad", { reason: "SYMLINK" }));
    try {
      decodeTree(encoded);
      expect.unreachable();
    } catch (error) {
      expect(isStorageError(error, "TEMPLATE_INVALID")).toBe(true);
      expect((error as StorageError).reason).toBe("SYMLINK");
      expect((error as StorageError).message).toBe("bad");
    }
  });
});
