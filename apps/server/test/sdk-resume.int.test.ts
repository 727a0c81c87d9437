import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createCohortClient, type ConnectionState, type ProjectEvent } from "@cohort/sdk";
import { closeAllClients, startTestApp, tokenFor, type StartedApp } from "./support/test-app.js";
import { classroom, type Classroom } from "./support/classroom.js";
import { rawReplica } from "./support/yjs-client.js";
import { waitFor } from "./support/wait-for.js";

let a: StartedApp;
let b: StartedApp;
let room: Classroom;

beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp(), startTestApp()]);
  // Everyone but the watcher under test stays on b, so losing a touches only the watcher.
  room = await classroom(b.wsUrl, { students: 1, tag: "sdk-resume" });
});
afterAll(async () => {
  await closeAllClients();
  await Promise.all([a.close(), b.close()]);
});

describe("SDK project stream across a lost connection", () => {
  it("reconnects to the next url by itself and delivers every missed event once, in order", async () => {
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "resume.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "" });
    const editor = await rawReplica(owner.client, ref);

    const states: ConnectionState[] = [];
    // a first, then b: the SDK moves to the next url on each reconnect. The delay is long enough
    // that the edits below are all made while the watcher is away.
    const watcher = createCohortClient({
      url: [a.wsUrl, b.wsUrl],
      token: await tokenFor(room.teacher.userId),
      WebSocket,
      retryDelayMs: () => 1_000,
      onConnectionChange: (state) => states.push(state),
    });
    const watch = watcher.watchProject({ lessonId: ref.lessonId, ownerId: ref.ownerId });
    const seen: { id: string | undefined; update: string }[] = [];
    let restarts = 0;
    watch.stream.listen({
      onEvent: (event: ProjectEvent, id) => {
        if (event.type === "edit") seen.push({ id, update: event.update });
      },
      onRestart: () => restarts++,
    });
    await watch.stream.ready;

    const pushed: string[] = [];
    const push = async (text: string) => {
      const update = editor.edit((t) => t.insert(t.length, text));
      pushed.push(update);
      await owner.client.api.edits.push.mutate({ ...ref, update });
    };
    for (let i = 0; i < 3; i++) await push(`before${i} `);
    await waitFor(() => seen.length === 3, { what: "the edits before the loss" });

    await a.close({ graceful: false }); // the watcher's instance dies: its socket is cut
    await waitFor(() => watcher.connection.state === "closed", { what: "the watcher to notice" });
    for (let i = 0; i < 10; i++) await push(`missed${i} `);
    // Proof that these were missed, not received live.
    expect(watcher.connection.state).toBe("closed");
    expect(seen).toHaveLength(3);

    await waitFor(() => restarts === 1, { timeoutMs: 10_000, what: "the stream to restart on b" });
    await push("live ");
    await waitFor(() => seen.length >= pushed.length, { what: "the missed and the live edits" });
    await new Promise((r) => setTimeout(r, 200)); // room for a duplicate to show up

    expect(seen.map((e) => e.update)).toEqual(pushed);
    expect(new Set(seen.map((e) => e.id)).size).toBe(pushed.length);
    expect(states.map((s) => s.state)).toEqual(["open", "closed", "open"]);
    watch.release();
    await watcher.close();
  });
});
