import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CohortClient } from "@cohort/sdk";
import { closeAllClients, startTestApp, type StartedApp } from "./support/test-app.js";
import { classroom, refusal, type Classroom } from "./support/classroom.js";

let server: StartedApp;
let room: Classroom;

beforeAll(async () => {
  server = await startTestApp();
  room = await classroom(server.wsUrl, { students: 6, tag: "files-perm" });
  const [owner, , g4, g6, g7, g2] = room.students as [Classroom["students"][0], ...Classroom["students"]];
  await owner.client.api.files.create.mutate({ lessonId: room.lessonId, ownerId: owner.participantId, path: "main.py", type: "file", content: "print(1)\n" });
  await owner.client.api.project.setPermissions.mutate({
    lessonId: room.lessonId,
    grants: [
      { viewerId: g4!.participantId, permission: 4 },
      { viewerId: g6!.participantId, permission: 6 },
      { viewerId: g7!.participantId, permission: 7 },
      { viewerId: g2!.participantId, permission: 2 },
    ],
  });
  await room.teacher.client.api.files.create.mutate({ lessonId: room.lessonId, ownerId: room.teacher.participantId, path: "example.py", type: "file", content: "x = 1\n" });
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

type Op = { name: string; write: boolean; run: (c: CohortClient, lessonId: number, ownerId: number, tag: string, file: string) => Promise<unknown> };

/** Every file procedure, each a fresh path per caller so allowed changes do not collide. */
const ops: Op[] = [
  { name: "files.list", write: false, run: (c, lessonId, ownerId) => c.api.files.list.query({ lessonId, ownerId }) },
  { name: "files.read", write: false, run: (c, lessonId, ownerId, _t, file) => c.api.files.read.query({ lessonId, ownerId, path: file }) },
  { name: "files.readMany", write: false, run: (c, lessonId, ownerId, _t, file) => c.api.files.readMany.query({ lessonId, ownerId, paths: [file] }) },
  { name: "edits.sync", write: false, run: (c, lessonId, ownerId, _t, file) => c.api.edits.sync.mutate({ lessonId, ownerId, path: file }) },
  { name: "cursor.move", write: false, run: (c, lessonId, ownerId, _t, file) => c.api.cursor.move.mutate({ lessonId, ownerId, path: file, position: { line: 0, column: 1 } }) },
  { name: "cursor.last", write: false, run: (c, lessonId, ownerId, _t, file) => c.api.cursor.last.query({ lessonId, ownerId, path: file }) },
  { name: "project.ping", write: false, run: (c, lessonId, ownerId) => c.api.project.ping.mutate({ lessonId, ownerId }) },
  { name: "files.create", write: true, run: (c, lessonId, ownerId, t) => c.api.files.create.mutate({ lessonId, ownerId, path: `made-${t}.txt`, type: "file", content: "hi" }) },
  { name: "files.create dir", write: true, run: (c, lessonId, ownerId, t) => c.api.files.create.mutate({ lessonId, ownerId, path: `dir-${t}`, type: "directory" }) },
  {
    name: "files.write",
    write: true,
    run: async (c, lessonId, ownerId, t) => {
      await c.api.files.write.mutate({ lessonId, ownerId, path: `missing-${t}.txt`, content: "x" }).catch(() => undefined);
      return c.api.files.write.mutate({ lessonId, ownerId, path: `scratch-${t}.txt`, content: `written by ${t}\n` });
    },
  },
  {
    name: "files.rename",
    write: true,
    run: (c, lessonId, ownerId, t) => c.api.files.rename.mutate({ lessonId, ownerId, path: `scratch-${t}.txt`, newPath: `moved-${t}.txt` }),
  },
  { name: "files.delete", write: true, run: (c, lessonId, ownerId, t) => c.api.files.delete.mutate({ lessonId, ownerId, path: `doomed-${t}.txt` }) },
  {
    name: "edits.push",
    write: true,
    run: async (c, lessonId, ownerId, _t, file) => {
      const Y = await import("yjs");
      const sync = await c.api.edits.sync.mutate({ lessonId, ownerId, path: file }).catch(() => null);
      const doc = new Y.Doc();
      if (sync) Y.applyUpdate(doc, Buffer.from(sync.update, "base64"));
      const sv = Y.encodeStateVector(doc);
      doc.getText("content").insert(0, "# edit\n");
      const update = Buffer.from(Y.encodeStateAsUpdate(doc, sv)).toString("base64");
      return c.api.edits.push.mutate({ lessonId, ownerId, path: file, update });
    },
  },
];

describe("file procedures follow the permission bits (API.md, Permissions)", () => {
  // [who, whose project, permission]: READ needs 4, any change needs 4 and 2.
  const cases: [string, () => { caller: CohortClient; ownerId: number; file: string }, number][] = [
    ["the owner", () => ({ caller: room.students[0]!.client, ownerId: room.students[0]!.participantId, file: "main.py" }), 7],
    ["the teacher", () => ({ caller: room.teacher.client, ownerId: room.students[0]!.participantId, file: "main.py" }), 7],
    ["a student with no grant", () => ({ caller: room.students[1]!.client, ownerId: room.students[0]!.participantId, file: "main.py" }), 0],
    ["a student granted 4", () => ({ caller: room.students[2]!.client, ownerId: room.students[0]!.participantId, file: "main.py" }), 4],
    ["a student granted 6", () => ({ caller: room.students[3]!.client, ownerId: room.students[0]!.participantId, file: "main.py" }), 6],
    ["a student granted 7", () => ({ caller: room.students[4]!.client, ownerId: room.students[0]!.participantId, file: "main.py" }), 7],
    ["a student granted 2 (write without read)", () => ({ caller: room.students[5]!.client, ownerId: room.students[0]!.participantId, file: "main.py" }), 2],
    ["a student on the teacher's project", () => ({ caller: room.students[1]!.client, ownerId: room.teacher.participantId, file: "example.py" }), 4],
  ];

  it.each(cases)("%s", async (who, setup, permission) => {
    const { caller, ownerId, file } = setup();
    const owner = ownerId === room.teacher.participantId ? room.teacher : room.students[0]!;
    const tag = who.replace(/\W+/g, "-");
    // Fixtures the write operations act on, made by the owner.
    for (const name of [`scratch-${tag}.txt`, `doomed-${tag}.txt`]) {
      await owner.client.api.files.create.mutate({ lessonId: room.lessonId, ownerId, path: name, type: "file", content: "" });
    }
    const canRead = (permission & 4) === 4;
    const canWrite = canRead && (permission & 2) === 2;
    for (const op of ops) {
      const allowed = op.write ? canWrite : canRead;
      const before = await owner.client.api.files.list.query({ lessonId: room.lessonId, ownerId });
      const outcome = op.run(caller, room.lessonId, ownerId, tag, file);
      if (allowed) {
        await expect(outcome, `${who}: ${op.name} should be allowed`).resolves.toBeDefined();
      } else {
        const error = await refusal(outcome);
        expect(error.code, `${who}: ${op.name}`).toBe("FORBIDDEN");
        expect(error.appCode).toBe(canRead ? "NO_WRITE_PERMISSION" : "NO_READ_PERMISSION");
        const after = await owner.client.api.files.list.query({ lessonId: room.lessonId, ownerId });
        expect(after, `${op.name} refused but changed the project`).toEqual(before);
      }
    }
  });

  it("refuses ids of participants outside the lesson's course", async () => {
    const error = await refusal(room.students[0]!.client.api.files.list.query({ lessonId: room.lessonId, ownerId: 2_000_000_000 }));
    expect(error).toMatchObject({ code: "NOT_FOUND", appCode: "PARTICIPANT_NOT_FOUND" });
  });
});
