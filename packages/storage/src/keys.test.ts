import { describe, expect, it } from "vitest";
import { assertKeyPrefix, backupKey, parseBackupKey, parseProjectMetaKey, projectKeys, projectMetaPattern, templateCacheKey } from "./keys.js";

const ref = { lessonId: 12, ownerId: 34 };

describe("keys", () => {
  it("tags every project key with {l:<lessonId>:p:<ownerId>}", () => {
    expect(projectKeys("cohort:", ref)).toEqual({
      entries: "cohort:{l:12:p:34}:entries",
      contents: "cohort:{l:12:p:34}:contents",
      meta: "cohort:{l:12:p:34}:meta",
      cursors: "cohort:{l:12:p:34}:cursors",
      loadLock: "cohort:{l:12:p:34}:load-lock",
    });
    expect(parseProjectMetaKey("{l:12:p:34}:meta")).toEqual(ref);
    expect(parseProjectMetaKey("{l:12:p:34}:entries")).toBeNull();
    expect(projectMetaPattern("a*b:")).toBe("a\\*b:{l:*:p:*}:meta");
  });

  it("names backups so that they sort by time and carry their version", () => {
    const at = new Date("2026-11-29T05:03:12.123Z");
    const key = backupKey(ref, at, 42);
    expect(key).toBe("backups/l12/p34/20261129T050312123Z-v42.zip");
    expect(parseBackupKey(key)).toEqual({ at, version: 42 });
    expect(backupKey(ref, new Date("2026-11-29T05:03:12.124Z"), 1) > key).toBe(true);
    expect(parseBackupKey("backups/l12/p34/other.zip")).toBeNull();
  });

  it("keys a template cache by the template and its checksum", () => {
    const a = templateCacheKey("p:", "templates/{x}.zip", "abc");
    expect(a).toMatch(/^p:template:[0-9a-f]{40}:abc$/);
    expect(a).not.toBe(templateCacheKey("p:", "templates/{x}.zip", "abd"));
  });

  it("refuses a prefix with a hash tag of its own", () => {
    expect(() => assertKeyPrefix("a{b}:")).toThrow(TypeError);
    expect(() => assertKeyPrefix("cohort:")).not.toThrow();
  });
});
