import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { LiveDocument } from "@cohort/sdk";
import { closeAllClients, startTestApp, type StartedApp } from "./support/test-app.js";
import { classroom, type Classroom } from "./support/classroom.js";
import { waitFor } from "./support/wait-for.js";

let a: StartedApp;
let b: StartedApp;
let room: Classroom;

beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp(), startTestApp()]);
  room = await classroom([a.wsUrl, b.wsUrl], { students: 7, tag: "converge" });
});
afterAll(async () => {
  await closeAllClients();
  await Promise.all([a.close(), b.close()]);
});

describe("convergent editing across instances", () => {
  it("8 clients on 2 instances typing at random for 10 s end with identical text everywhere, nothing lost", async () => {
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "shared.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "seed line\n" });
    // Everyone with write access: the owner, the teacher (7 by default) and six students granted 6.
    await owner.client.api.project.setPermissions.mutate({
      lessonId: room.lessonId,
      grants: room.students.slice(1).map((s) => ({ viewerId: s.participantId, permission: 6 })),
    });
    const editors = [owner, room.teacher, ...room.students.slice(1, 7)];
    const docs: LiveDocument[] = await Promise.all(editors.map((m) => m.client.openFile(ref)));
    const seed = Y.encodeStateAsUpdate(docs[0]!.doc); // the document before anyone typed
    // Every update a client made locally; the server must end up with all of them.
    const made: Uint8Array[][] = docs.map(() => []);
    docs.forEach((d, i) => d.doc.on("update", (u: Uint8Array, origin: unknown) => typeof origin !== "symbol" && made[i]!.push(u)));

    const until = Date.now() + 10_000;
    let round = 0;
    while (Date.now() < until) {
      docs.forEach((d, i) => {
        const length = d.text.length;
        // Half the inserts land at the same place (position 0) to force concurrent conflicts.
        if (length > 40 && Math.random() < 0.35) {
          d.delete(Math.floor(Math.random() * (length - 3)), 1 + Math.floor(Math.random() * 3));
        } else {
          const at = Math.random() < 0.5 ? 0 : Math.floor(Math.random() * (length + 1));
          d.insert(at, `${i}:${round};`);
        }
      });
      round++;
      await new Promise((r) => setTimeout(r, 25));
    }
    await Promise.all(docs.map((d) => d.flush()));
    expect(docs.every((d) => d.pendingUpdates === 0)).toBe(true);

    const reference = new Y.Doc();
    const { update: initial } = await owner.client.api.edits.sync.mutate({ ...ref, stateVector: undefined });
    Y.applyUpdate(reference, Buffer.from(initial, "base64"));
    const expected = reference.getText("content").toString();
    // The seed plus every local update of every client rebuilds exactly the server's document:
    // no acknowledged update is missing, and nothing else crept in.
    const check = new Y.Doc();
    Y.applyUpdate(check, seed);
    for (const updates of made) for (const u of updates) Y.applyUpdate(check, u);
    expect(check.getText("content").toString()).toBe(expected);

    await waitFor(() => docs.every((d) => d.toString() === expected), { timeoutMs: 10_000, what: "every client to converge" });
    const viaA = await owner.client.api.files.read.query(ref);
    expect(viaA.content).toBe(expected);
    // The other instance's copy of the document, and its materialised text, agree.
    const onB = room.teacher.client;
    expect((await onB.api.files.read.query(ref)).content).toBe(expected);
    const syncB = new Y.Doc();
    Y.applyUpdate(syncB, Buffer.from((await onB.api.edits.sync.mutate(ref)).update, "base64"));
    expect(syncB.getText("content").toString()).toBe(expected);
    expect(round).toBeGreaterThan(20);
    docs.forEach((d) => d.close());
  });
});
