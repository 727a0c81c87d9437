import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { CohortClient, ProjectEvent } from "@cohort/sdk";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { classroom, refusal, type Classroom } from "./support/classroom.js";
import { rawReplica } from "./support/yjs-client.js";
import { waitFor } from "./support/wait-for.js";

let a: StartedApp;
let b: StartedApp;
let room: Classroom;

beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp(), startTestApp()]);
  room = await classroom([a.wsUrl, b.wsUrl], { students: 4, tag: "edit-access" });
});
afterAll(async () => {
  await closeAllClients();
  await Promise.all([a.close(), b.close()]);
});

function watch(client: CohortClient, input: { lessonId: number; ownerId: number }) {
  const state = { events: [] as ProjectEvent[], error: null as null | { code?: string; appCode?: string }, endedAt: 0 };
  const sub = client.api.project.watch.subscribe(input, {
    onData: (t) => state.events.push((t as unknown as { data: ProjectEvent }).data),
    onError: (error) => {
      const data = (error as { data?: { code?: string; appCode?: string } }).data;
      state.error = { code: data?.code, appCode: data?.appCode };
      state.endedAt = Date.now();
    },
  });
  return { state, stop: () => sub.unsubscribe() };
}

describe("revoking and granting access", () => {
  it("ends the viewer's watches on both instances within 200 ms, refuses reads and pushes, and allows them again after a grant", async () => {
    const [owner, viewer] = room.students as [Classroom["students"][0], Classroom["students"][0]];
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "secret.py" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "x = 1\n" });
    await owner.client.api.project.setPermissions.mutate({ lessonId: room.lessonId, grants: [{ viewerId: viewer.participantId, permission: 6 }] });
    const viewerOnA = await connectUser(a.wsUrl, viewer.userId);
    const viewerOnB = await connectUser(b.wsUrl, viewer.userId);
    const inbox: { type: string }[] = [];
    viewerOnB.api.inbox.watch.subscribe({ lessonId: room.lessonId }, { onData: (t) => inbox.push((t as unknown as { data: { type: string } }).data) });
    const wa = watch(viewerOnA, { lessonId: ref.lessonId, ownerId: ref.ownerId });
    const wb = watch(viewerOnB, { lessonId: ref.lessonId, ownerId: ref.ownerId });
    const replica = await rawReplica(viewerOnA, ref);
    await viewerOnA.api.edits.push.mutate({ ...ref, update: replica.edit((t) => t.insert(0, "# hi\n")) });
    await waitFor(() => wa.state.events.length > 0 && wb.state.events.length > 0, { what: "watches live" });

    const revokedAt = Date.now();
    await owner.client.api.project.setPermissions.mutate({ lessonId: room.lessonId, grants: [{ viewerId: viewer.participantId, permission: 0 }] });
    await waitFor(() => wa.state.error && wb.state.error, { timeoutMs: 2_000, intervalMs: 5, what: "both watches to end" });
    expect(wa.state.error).toEqual({ code: "FORBIDDEN", appCode: "PERMISSION_REVOKED" });
    expect(wb.state.error).toEqual({ code: "FORBIDDEN", appCode: "PERMISSION_REVOKED" });
    expect(Math.max(wa.state.endedAt, wb.state.endedAt) - revokedAt).toBeLessThan(200 + 150); // 200 ms after the ack; the ack itself is in the window

    expect(await refusal(viewerOnB.api.files.read.query(ref))).toMatchObject({ appCode: "NO_READ_PERMISSION" });
    expect(await refusal(viewerOnA.api.edits.push.mutate({ ...ref, update: replica.edit((t) => t.insert(0, "sneaky")) }))).toMatchObject({
      appCode: "NO_READ_PERMISSION",
    });
    expect((await owner.client.api.files.read.query(ref)).content).toBe("# hi\nx = 1\n");
    await waitFor(() => inbox.some((e) => e.type === "permission.changed"), { what: "inbox notice of the change" });

    // Granting READ again: a new watch works without reconnecting.
    const inboxBefore = inbox.length;
    await owner.client.api.project.setPermissions.mutate({ lessonId: room.lessonId, grants: [{ viewerId: viewer.participantId, permission: 4 }] });
    await waitFor(() => inbox.length > inboxBefore, { what: "inbox notice of the grant" });
    const again = watch(viewerOnA, { lessonId: ref.lessonId, ownerId: ref.ownerId });
    await expect(viewerOnA.api.files.read.query(ref)).resolves.toMatchObject({ content: "# hi\nx = 1\n" });
    await new Promise((r) => setTimeout(r, 100));
    await owner.client.api.files.write.mutate({ ...ref, content: "x = 2\n" });
    await waitFor(() => again.state.events.some((e) => e.type === "edit"), { what: "events after re-grant" });
    expect(again.state.error).toBeNull();
    again.stop();
  });
});

describe("hostile and mistaken updates", () => {
  it("refuses malformed, oversized, mistargeted and wrong-type updates without changing the file", async () => {
    const owner = room.students[2]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "a.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "alpha\n" });
    await owner.client.api.files.create.mutate({ ...ref, path: "b.txt", type: "file", content: "beta\n" });
    await owner.client.api.files.create.mutate({ ...ref, path: "pic.bin", type: "file", content: Buffer.from([0, 255, 1, 254]).toString("base64"), encoding: "base64" });
    const other = await rawReplica(owner.client, { ...ref, path: "b.txt" });
    const foreign = other.edit((t) => t.insert(0, "meant for b "));
    const wrongType = (() => {
      const doc = new Y.Doc();
      doc.getMap("evil").set("k", "v");
      return Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64");
    })();
    const attempts: [string, string, string][] = [
      ["not base64", "%%%not-base64%%%", "INVALID_UPDATE"],
      ["random bytes", Buffer.from([9, 200, 3, 7, 255, 255, 255]).toString("base64"), "INVALID_UPDATE"],
      ["an update for another file", foreign, "INVALID_UPDATE"],
      ["an update creating other shared types", wrongType, "INVALID_UPDATE"],
      ["an update over the size limit", Buffer.alloc(300_000, 1).toString("base64"), "LIMIT_REACHED"],
    ];
    for (const [what, update, appCode] of attempts) {
      const error = await refusal(owner.client.api.edits.push.mutate({ ...ref, update }));
      expect(error.appCode, what).toBe(appCode);
    }
    // A frame over the server's message limit (1 MiB) closes that connection (1009); the SDK
    // reconnects and carries on.
    const huge = await refusal(owner.client.api.edits.push.mutate({ ...ref, update: "A".repeat(1_200_000) }));
    expect(huge.appCode).toBeUndefined();
    await waitFor(() => owner.client.api.files.list.query({ lessonId: ref.lessonId, ownerId: ref.ownerId }).then(() => true), { what: "the client to reconnect" });
    const binary = await refusal(owner.client.api.edits.sync.mutate({ ...ref, path: "pic.bin" }));
    expect(binary.appCode).toBe("INVALID_UPDATE");
    expect((await owner.client.api.files.read.query(ref)).content).toBe("alpha\n");
    expect((await owner.client.api.files.read.query({ ...ref, path: "b.txt" })).content).toBe("beta\n");
  });

  it("a viewer without WRITE cannot push, and a cursor without READ is refused and never broadcast", async () => {
    const [owner, reader, stranger] = [room.students[3]!, room.students[0]!, room.students[1]!];
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "c.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "gamma\n" });
    await owner.client.api.project.setPermissions.mutate({
      lessonId: room.lessonId,
      grants: [
        { viewerId: reader.participantId, permission: 4 },
        { viewerId: stranger.participantId, permission: 0 },
      ],
    });
    const ownerWatch = watch(owner.client, { lessonId: ref.lessonId, ownerId: ref.ownerId });
    const replica = await rawReplica(reader.client, ref);
    expect((await refusal(reader.client.api.edits.push.mutate({ ...ref, update: replica.edit((t) => t.insert(0, "no")) }))).appCode).toBe(
      "NO_WRITE_PERMISSION",
    );
    expect((await refusal(stranger.client.api.cursor.move.mutate({ ...ref, position: { line: 0, column: 0 } }))).appCode).toBe("NO_READ_PERMISSION");
    await reader.client.api.cursor.move.mutate({ ...ref, position: { line: 0, column: 2 } });
    await waitFor(() => ownerWatch.state.events.some((e) => e.type === "cursor"), { what: "the reader's cursor" });
    const cursors = ownerWatch.state.events.filter((e): e is Extract<ProjectEvent, { type: "cursor" }> => e.type === "cursor");
    expect(cursors.map((c) => c.participant.id)).toEqual([reader.participantId]);
    expect(ownerWatch.state.events.some((e) => e.type === "edit")).toBe(false);
    await expect(reader.client.api.cursor.last.query(ref)).resolves.toEqual({ position: { line: 0, column: 2 } });
    ownerWatch.stop();
  });
});

describe("cursor moves", () => {
  it("a due move is stored and broadcast at once, a burst inside the interval leaves its latest, and a move in a missing file is never broadcast", async () => {
    const owner = room.students[2]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "moves.py" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "a\nb\n" });
    const ownerWatch = watch(owner.client, { lessonId: ref.lessonId, ownerId: ref.ownerId });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the watch is live
    const columns = () => ownerWatch.state.events.flatMap((e) => (e.type === "cursor" ? [e.position.column] : []));

    await owner.client.api.cursor.move.mutate({ ...ref, position: { line: 0, column: 0 } });
    await waitFor(() => columns().length === 1, { what: "the first move" });
    for (let column = 1; column <= 9; column++) await owner.client.api.cursor.move.mutate({ ...ref, position: { line: 0, column } });
    // Refused inside the interval: nothing of it is stored or broadcast, and the latest valid move still leaves.
    expect((await refusal(owner.client.api.cursor.move.mutate({ ...ref, path: "missing.py", position: { line: 0, column: 99 } }))).appCode).toBe("FILE_NOT_FOUND");
    await waitFor(() => columns().at(-1) === 9, { what: "the burst's latest move" });
    await new Promise((resolve) => setTimeout(resolve, 120)); // a quiet interval: the key is forgotten
    // Refused when due: the combined store-and-announce step announces nothing either.
    expect((await refusal(owner.client.api.cursor.move.mutate({ ...ref, path: "missing.py", position: { line: 0, column: 98 } }))).appCode).toBe("FILE_NOT_FOUND");
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(columns()[0]).toBe(0);
    expect(columns().at(-1)).toBe(9);
    expect(columns().length).toBeLessThanOrEqual(4); // 10 moves in one burst: the first, maybe one mid-burst, the last
    expect(ownerWatch.state.events.some((e) => e.type === "cursor" && e.path === "missing.py")).toBe(false);
    await expect(owner.client.api.cursor.last.query({ ...ref, path: "missing.py" })).resolves.toBeNull();
    await expect(owner.client.api.cursor.last.query(ref)).resolves.toEqual({ position: { line: 0, column: 9 } });
    ownerWatch.stop();
  });
});
