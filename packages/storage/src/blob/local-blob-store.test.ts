import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isStorageError } from "../errors.js";
import { describeBlobStoreContract } from "./blob-store.contract.js";
import { LocalBlobStore } from "./local-blob-store.js";

let dir: string;
let store: LocalBlobStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cohort-blobs-"));
  store = new LocalBlobStore({ dir });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeBlobStoreContract("LocalBlobStore", () => store);

describe("LocalBlobStore on disk", () => {
  it("keeps objects as plain files under the folder and leaves no temp files", async () => {
    await store.put("plain/hello.txt", Buffer.from("hello"));
    expect(await readFile(path.join(dir, "plain", "hello.txt"), "utf8")).toBe("hello");
    expect(await readdir(path.join(dir, ".tmp"))).toEqual([]);
  });

  it("serves a file dropped in by hand, without a checksum", async () => {
    await mkdir(path.join(dir, "templates"), { recursive: true });
    await writeFile(path.join(dir, "templates", "by-hand.zip"), "zip");
    expect(await store.head("templates/by-hand.zip")).toMatchObject({ size: 3 });
    expect((await store.head("templates/by-hand.zip"))?.sha256).toBeUndefined();
    expect((await store.get("templates/by-hand.zip")).toString()).toBe("zip");
  });

  it("drops the checksum when the file was replaced behind its back", async () => {
    await store.put("swap/x.bin", Buffer.from("aaaa"));
    // Same size, new inode (created while the old one is still in use, so it cannot be reused).
    await writeFile(path.join(dir, "swap", "x.bin.new"), "bbbb");
    await rename(path.join(dir, "swap", "x.bin.new"), path.join(dir, "swap", "x.bin"));
    expect((await store.head("swap/x.bin"))?.sha256).toBeUndefined();
  });

  it("refuses keys in its reserved folders", async () => {
    for (const key of [".meta/x", ".tmp/y"]) {
      await expect(store.put(key, Buffer.from("x"))).rejects.toSatisfy((e) => isStorageError(e, "INVALID_PATH"));
    }
    expect((await store.list("")).some((item) => item.key.startsWith("."))).toBe(false);
  });
});
