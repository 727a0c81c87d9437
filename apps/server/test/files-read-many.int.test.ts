import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllClients, startTestApp, type StartedApp } from "./support/test-app.js";
import { classroom, refusal, type Classroom, type Member } from "./support/classroom.js";

let server: StartedApp;
let room: Classroom;
let owner: Member;
let ref: { lessonId: number; ownerId: number };
const binary = randomBytes(600);
const largeBinary = randomBytes(3000);
const largeText = "print('large')\n".repeat(400);

beforeAll(async () => {
  // Small bounds, so that pages, and files kept in the blob store, show with small files.
  server = await startTestApp({ MAX_INLINE_FILE_BYTES: "1000", READ_MANY_MAX_FILES: "4", READ_MANY_MAX_BYTES: "8000" });
  room = await classroom(server.wsUrl, { students: 3, tag: "read-many" });
  owner = room.students[0]!;
  ref = { lessonId: room.lessonId, ownerId: owner.participantId };
  const create = (path: string, content: string, encoding?: "base64") =>
    owner.client.api.files.create.mutate({ ...ref, path, type: "file", content, ...(encoding ? { encoding } : {}) });
  await create("README.md", "# Hello\n");
  await create("src/main.py", "print('hi')\n");
  await create("src/util.py", "def f():\n    return 'é€🙂'\n");
  await create("assets/logo.bin", binary.toString("base64"), "base64");
  await create("assets/large.bin", largeBinary.toString("base64"), "base64");
  await create("src/large.py", largeText);
  await create("empty.txt", "");
  await owner.client.api.files.create.mutate({ ...ref, path: "docs", type: "directory" });
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

const api = () => owner.client.api;

/** Every page, from the first, following nextCursor. */
async function pages(input: { paths?: string[] } = {}) {
  const all = [];
  let cursor: string | undefined;
  do {
    const page = await api().files.readMany.query({ ...ref, ...input, ...(cursor ? { cursor } : {}) });
    all.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

describe("files.readMany", () => {
  it("gives every file exactly as files.read does (text, binary, blob-backed), in path order", async () => {
    const files = (await pages()).flatMap((page) => page.files);
    const { entries } = await api().files.list.query(ref);
    expect(files.map((f) => f.path)).toEqual(entries.filter((e) => e.type === "file").map((e) => e.path));
    for (const file of files) expect(file, file.path).toEqual(await api().files.read.query({ ...ref, path: file.path }));
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect(byPath.get("assets/logo.bin")).toMatchObject({ encoding: "base64", content: binary.toString("base64"), size: 600 });
    expect(byPath.get("assets/large.bin")).toMatchObject({ encoding: "base64", content: largeBinary.toString("base64"), size: 3000 });
    expect(byPath.get("src/large.py")).toMatchObject({ encoding: "utf8", content: largeText, size: largeText.length });
    // The two large files really are kept in the blob store, not inline in Redis.
    expect(await server.app.blobs.list(`projects/l${ref.lessonId}/p${ref.ownerId}/files/`)).toHaveLength(2);
    expect(byPath.get("src/util.py")?.content).toBe("def f():\n    return 'é€🙂'\n");
    expect(byPath.get("empty.txt")).toMatchObject({ encoding: "utf8", content: "", size: 0 });
  });

  it("answers in bounded pages that continue exactly where the last one stopped", async () => {
    const all = await pages();
    // 7 files: 4 per page at most, and at most 8000 bytes unless a page holds a single file.
    expect(all.map((p) => p.files.length)).toEqual([4, 3]);
    for (const page of all) {
      const bytes = page.files.reduce((sum, f) => sum + f.size, 0);
      expect(page.files.length === 1 || bytes <= 8000).toBe(true);
    }
    expect(all[0]!.nextCursor).toBe(all[0]!.files.at(-1)!.path);
    expect(all.at(-1)!.nextCursor).toBeNull();
    // The SDK follows the pages.
    expect(await owner.client.readProject(ref)).toEqual(all.flatMap((p) => p.files));
  });

  it("reads named files in path order, and refuses a missing file or a directory", async () => {
    const page = await api().files.readMany.query({ ...ref, paths: ["src/main.py", "README.md"] });
    expect(page.files.map((f) => f.path)).toEqual(["README.md", "src/main.py"]);
    expect(page.nextCursor).toBeNull();
    expect(await refusal(api().files.readMany.query({ ...ref, paths: ["README.md", "nope.txt"] }))).toMatchObject({ code: "NOT_FOUND", appCode: "FILE_NOT_FOUND" });
    expect(await refusal(api().files.readMany.query({ ...ref, paths: ["docs"] }))).toMatchObject({ code: "BAD_REQUEST", appCode: "IS_A_DIRECTORY" });
  });

  it("gives the current text of a file being edited live", async () => {
    const editor = room.teacher;
    const doc = await editor.client.openFile({ ...ref, path: "src/main.py" });
    try {
      for (let i = 0; i < 5; i++) {
        doc.insert(doc.text.length, `x${i} = ${i}\n`);
        await doc.flush();
        const [file] = (await api().files.readMany.query({ ...ref, paths: ["src/main.py"] })).files;
        expect(file?.content).toBe(doc.toString());
        expect(file).toEqual(await api().files.read.query({ ...ref, path: "src/main.py" }));
      }
    } finally {
      doc.close();
    }
  });

  it("needs READ: refused without it, before anything is read", async () => {
    const stranger = room.students[1]!;
    expect(await refusal(stranger.client.api.files.readMany.query(ref))).toMatchObject({ code: "FORBIDDEN", appCode: "NO_READ_PERMISSION" });
    expect(await refusal(stranger.client.api.files.readMany.query({ ...ref, paths: ["nope.txt"] }))).toMatchObject({ appCode: "NO_READ_PERMISSION" });
    await expect(room.teacher.client.api.files.readMany.query(ref)).resolves.toMatchObject({ files: expect.any(Array) });
    await owner.client.api.project.setPermissions.mutate({ lessonId: ref.lessonId, grants: [{ viewerId: stranger.participantId, permission: 4 }] });
    await expect(stranger.client.api.files.readMany.query(ref)).resolves.toMatchObject({ files: expect.any(Array) });
  });

  const hostile: [string, Record<string, unknown>, { code: string; appCode: string }][] = [
    ["a parent segment", { paths: ["../other/secret.py"] }, { code: "BAD_REQUEST", appCode: "INVALID_PATH" }],
    ["an absolute path", { paths: ["README.md", "/etc/passwd"] }, { code: "BAD_REQUEST", appCode: "INVALID_PATH" }],
    ["a traversing cursor", { cursor: "src/../../x" }, { code: "BAD_REQUEST", appCode: "INVALID_PATH" }],
    ["duplicate paths", { paths: ["README.md", "src/main.py", "README.md"] }, { code: "BAD_REQUEST", appCode: "INVALID_INPUT" }],
    ["an empty list", { paths: [] }, { code: "BAD_REQUEST", appCode: "INVALID_INPUT" }],
    ["more than 1000 paths", { paths: Array.from({ length: 1001 }, (_, i) => `f${i}`) }, { code: "BAD_REQUEST", appCode: "INVALID_INPUT" }],
    ["a string for paths", { paths: "README.md" }, { code: "BAD_REQUEST", appCode: "INVALID_INPUT" }],
    ["numbers for paths", { paths: [1, 2] }, { code: "BAD_REQUEST", appCode: "INVALID_INPUT" }],
    ["an unknown field", { path: "README.md" }, { code: "BAD_REQUEST", appCode: "INVALID_INPUT" }],
    ["a fractional owner id", { ownerId: 1.5 }, { code: "BAD_REQUEST", appCode: "INVALID_INPUT" }],
  ];

  it.each(hostile)("refuses %s clearly and changes nothing", async (_what, input, expected) => {
    const before = await api().files.list.query(ref);
    expect(await refusal(api().files.readMany.query({ ...ref, ...input } as never))).toMatchObject(expected);
    expect(await api().files.list.query(ref)).toEqual(before);
  });

  it("refuses other lessons' and unknown owners' ids", async () => {
    const other = await classroom(server.wsUrl, { students: 1, tag: "read-many-other" });
    const foreign = { lessonId: other.lessonId, ownerId: other.students[0]!.participantId };
    expect((await refusal(api().files.readMany.query(foreign))).code).toMatch(/^(FORBIDDEN|NOT_FOUND)$/);
    expect((await refusal(api().files.readMany.query({ lessonId: ref.lessonId, ownerId: foreign.ownerId }))).code).toMatch(/^(FORBIDDEN|NOT_FOUND)$/);
    expect(await refusal(api().files.readMany.query({ lessonId: 2_000_000_000, ownerId: ref.ownerId }))).toMatchObject({ code: "NOT_FOUND" });
  });
});
