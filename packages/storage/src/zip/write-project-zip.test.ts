import { describe, expect, it } from "vitest";
import unzipper from "unzipper";
import { writeProjectZip } from "./write-project-zip.js";

describe("writeProjectZip", () => {
  it("writes full paths, a record per directory, UTF-8 flagged names and exact bytes", async () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const zip = await writeProjectZip([
      { path: "z/ü.bin", type: "file", content: binary },
      { path: "z", type: "directory" },
      { path: "empty", type: "directory" },
    ]);
    const directory = await unzipper.Open.buffer(zip);
    expect(directory.files.map((file) => file.path)).toEqual(["empty/", "z/", "z/ü.bin"]);
    const file = directory.files[2];
    expect(file?.flags ? file.flags & 0x800 : 0).toBe(0x800);
    expect((await file?.buffer())?.equals(binary)).toBe(true);
  });
});
