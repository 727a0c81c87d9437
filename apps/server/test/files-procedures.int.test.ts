import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectEvent } from "@cohort/sdk";
import { closeAllClients, startTestApp, type StartedApp } from "./support/test-app.js";
import { classroom, refusal, type Classroom } from "./support/classroom.js";
import { waitFor } from "./support/wait-for.js";

let server: StartedApp;
let room: Classroom;

beforeAll(async () => {
  server = await startTestApp({ MAX_PROJECT_BYTES: "4000", MAX_FILE_BYTES: "3000", MAX_INLINE_FILE_BYTES: "1000" });
  room = await classroom(server.wsUrl, { students: 3, tag: "files-proc" });
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

describe("file procedures", () => {
  it("create, write, rename and delete, each seen by watchers as a file.* event with its actor", async () => {
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId };
    const events: ProjectEvent[] = [];
    const sub = room.teacher.client.api.project.watch.subscribe(ref, { onData: (t) => events.push((t as unknown as { data: ProjectEvent }).data) });
    await new Promise((r) => setTimeout(r, 100));
    await owner.client.api.files.create.mutate({ ...ref, path: "lib/a.py", type: "file", content: "a = 1\n" });
    await owner.client.api.files.create.mutate({ ...ref, path: "lib/empty", type: "directory" });
    await owner.client.api.files.write.mutate({ ...ref, path: "lib/a.py", content: "a = 2\n" });
    await owner.client.api.files.rename.mutate({ ...ref, path: "lib", newPath: "pkg" });
    await owner.client.api.files.delete.mutate({ ...ref, path: "pkg/empty" });
    await waitFor(() => events.some((e) => e.type === "file.deleted"), { what: "the delete event" });
    const kinds = events.map((e) => e.type);
    expect(kinds).toEqual(["file.created", "file.created", "edit", "file.written", "file.renamed", "file.deleted"]);
    expect(events.every((e) => e.type === "reset" || e.actor.id === owner.participantId)).toBe(true);
    const { entries } = await owner.client.api.files.list.query(ref);
    expect(entries.map((e) => `${e.type}:${e.path}`)).toEqual(["directory:pkg", "file:pkg/a.py"]);
    expect((await owner.client.api.files.read.query({ ...ref, path: "pkg/a.py" })).content).toBe("a = 2\n");
    sub.unsubscribe();
  });

  const badPaths: [string, string][] = [
    ["empty", ""],
    ["absolute", "/etc/passwd"],
    ["parent segment", "../other/secret.py"],
    ["inner parent segment", "src/../../x"],
    ["dot segment", "./a"],
    ["empty segment", "a//b"],
    ["trailing slash", "dir/"],
    ["NUL", "a\u0000b"],
    ["control character", "a\u0007b"],
    ["backslash", "..\\windows"],
    ["too long", "a/".repeat(600) + "b"],
    ["segment too long", "x".repeat(256)],
  ];

  it.each(badPaths)("refuses a path that is %s with INVALID_PATH and changes nothing", async (_what, path) => {
    const owner = room.students[1]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId };
    const before = await owner.client.api.files.list.query(ref);
    for (const call of [
      owner.client.api.files.create.mutate({ ...ref, path, type: "file", content: "x" }),
      owner.client.api.files.read.query({ ...ref, path }),
      owner.client.api.files.rename.mutate({ ...ref, path: "ok.txt", newPath: path }),
      owner.client.api.edits.push.mutate({ ...ref, path, update: "AAAA" }),
    ]) {
      expect(await refusal(call)).toMatchObject({ code: "BAD_REQUEST", appCode: "INVALID_PATH" });
    }
    expect(await owner.client.api.files.list.query(ref)).toEqual(before);
  });

  it("tightens the path rules to MAX_PATH_BYTES / MAX_PATH_SEGMENT_BYTES when a deployment sets them", async () => {
    const strict = await startTestApp({ MAX_PATH_BYTES: "40", MAX_PATH_SEGMENT_BYTES: "12" });
    try {
      const strictRoom = await classroom(strict.wsUrl, { students: 1, tag: "files-strict-paths" });
      const owner = strictRoom.students[0]!;
      const ref = { lessonId: strictRoom.lessonId, ownerId: owner.participantId };
      const longest = "abcdefghijkl/".repeat(3) + "x"; // 40 bytes, segments of 12
      await owner.client.api.files.create.mutate({ ...ref, path: longest, type: "file", content: "ok" });
      const before = await owner.client.api.files.list.query(ref);
      for (const call of [
        owner.client.api.files.create.mutate({ ...ref, path: `${longest}y`, type: "file", content: "x" }),
        owner.client.api.files.create.mutate({ ...ref, path: "abcdefghijklm", type: "file", content: "x" }),
        owner.client.api.files.rename.mutate({ ...ref, path: longest, newPath: `${longest}y` }),
      ]) {
        expect(await refusal(call)).toMatchObject({ code: "BAD_REQUEST", appCode: "INVALID_PATH" });
      }
      expect(await owner.client.api.files.list.query(ref)).toEqual(before);
    } finally {
      await strict.close();
    }
  });

  it("refuses the write that crosses the project quota and keeps the total exact", async () => {
    const owner = room.students[2]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId };
    await owner.client.api.files.create.mutate({ ...ref, path: "one.txt", type: "file", content: "x".repeat(2500) });
    const error = await refusal(owner.client.api.files.create.mutate({ ...ref, path: "two.txt", type: "file", content: "y".repeat(2000) }));
    expect(error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", appCode: "PROJECT_QUOTA_EXCEEDED" });
    expect(await refusal(owner.client.api.files.write.mutate({ ...ref, path: "one.txt", content: "z".repeat(3500) }))).toMatchObject({
      appCode: "FILE_TOO_LARGE",
    });
    const list = await owner.client.api.files.list.query(ref);
    expect(list.totalSize).toBe(2500);
    expect(list.quota).toBe(4000);
    expect(list.entries.map((e) => e.path)).toEqual(["one.txt"]);
    // Live edits respect the quota too.
    const doc = await owner.client.openFile({ ...ref, path: "one.txt" });
    const errors: unknown[] = [];
    doc.on("error", (e) => errors.push(e));
    doc.insert(0, "w".repeat(1600));
    await doc.flush();
    expect(errors).toHaveLength(1);
    expect((await owner.client.api.files.read.query({ ...ref, path: "one.txt" })).content).toBe("x".repeat(2500));
    doc.close();
  });

  it("refuses other kinds of bad input clearly", async () => {
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId };
    expect(await refusal(owner.client.api.files.create.mutate({ ...ref, path: "pkg/a.py", type: "file" }))).toMatchObject({ appCode: "FILE_EXISTS" });
    expect(await refusal(owner.client.api.files.read.query({ ...ref, path: "nope.txt" }))).toMatchObject({ appCode: "FILE_NOT_FOUND" });
    expect(await refusal(owner.client.api.files.create.mutate({ ...ref, path: "d", type: "directory", content: "x" }))).toMatchObject({ appCode: "INVALID_INPUT" });
    expect(
      await refusal(owner.client.api.files.create.mutate({ ...ref, path: "b.bin", type: "file", content: "@@notbase64", encoding: "base64" })),
    ).toMatchObject({ appCode: "INVALID_INPUT" });
    expect(await refusal(owner.client.api.files.create.mutate({ ...ref, path: "x", type: "symlink" as "file" }))).toMatchObject({ code: "BAD_REQUEST" });
  });
});
