import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createCohortClient, type ProjectEvent } from "@cohort/sdk";
import type { ProjectEventBatch } from "@cohort/api/schemas";
import { closeAllClients, connectUser, startTestApp, tokenFor, type StartedApp } from "./support/test-app.js";
import { classroom, type Classroom } from "./support/classroom.js";
import { rawReplica } from "./support/yjs-client.js";
import { waitFor } from "./support/wait-for.js";
import { freePort } from "@cohort/test-support/free-port";

let a: StartedApp;
let b: StartedApp;
let room: Classroom;

beforeAll(async () => {
  // A short event log, so a client away long enough falls off its end.
  [a, b] = await Promise.all([startTestApp({ EVENT_LOG_MAX_LEN: "30" }), startTestApp({ EVENT_LOG_MAX_LEN: "30" })]);
  room = await classroom([a.wsUrl, b.wsUrl], { students: 2, tag: "resume" });
});
afterAll(async () => {
  await closeAllClients();
  await Promise.all([a.close(), b.close()]);
});

function collect(client: Awaited<ReturnType<typeof connectUser>>, input: { lessonId: number; ownerId: number; lastEventId?: string; batch?: boolean }) {
  const events: { id: string | undefined; event: ProjectEvent }[] = [];
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const sub = client.api.project.watch.subscribe(input, {
    onStarted: () => markStarted(),
    onData: (tracked) => {
      const { id, data } = tracked as unknown as { id?: string; data: ProjectEvent };
      events.push({ id, event: data });
    },
  });
  return { events, started, stop: () => sub.unsubscribe() };
}

describe("resuming project.watch", () => {
  it("a client away while others edit resumes on the other instance from lastEventId, missing nothing", async () => {
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "notes.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "" });
    const watcherOnA = await connectUser(a.wsUrl, room.teacher.userId);
    const first = collect(watcherOnA, { lessonId: ref.lessonId, ownerId: ref.ownerId });
    const editor = await rawReplica(owner.client, ref);
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 3; i++) await owner.client.api.edits.push.mutate({ ...ref, update: editor.edit((t) => t.insert(t.length, `a${i} `)) });
    await waitFor(() => first.events.length === 3, { what: "first three edits" });
    const lastSeen = first.events.at(-1)!.id!;
    first.stop(); // the client goes away

    const missed: string[] = [];
    for (let i = 0; i < 12; i++) {
      const update = editor.edit((t) => t.insert(t.length, `b${i} `));
      missed.push(update);
      await owner.client.api.edits.push.mutate({ ...ref, update });
    }
    // ...and comes back, to the other instance, with the id of the last event it saw.
    const watcherOnB = await connectUser(b.wsUrl, room.teacher.userId);
    const resumed = collect(watcherOnB, { lessonId: ref.lessonId, ownerId: ref.ownerId, lastEventId: lastSeen });
    await waitFor(() => resumed.events.length >= 12, { what: "missed edits" });
    const edits = resumed.events.map((e) => e.event).filter((e): e is Extract<ProjectEvent, { type: "edit" }> => e.type === "edit");
    expect(edits.map((e) => e.update)).toEqual(missed);
    expect(new Set(resumed.events.map((e) => e.id)).size).toBe(resumed.events.length);
    // Live events follow the replay without a gap.
    await owner.client.api.edits.push.mutate({ ...ref, update: editor.edit((t) => t.insert(0, "live ")) });
    await waitFor(() => resumed.events.length === 13, { what: "live edit after replay" });
    resumed.stop();
  });

  it("a client resuming from before the log's reach gets reset, then resyncs to the right text", async () => {
    const owner = room.students[1]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "long.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "" });
    const viewer = await connectUser(b.wsUrl, room.teacher.userId);
    const early = collect(viewer, { lessonId: ref.lessonId, ownerId: ref.ownerId });
    const editor = await rawReplica(owner.client, ref);
    await new Promise((r) => setTimeout(r, 100));
    await owner.client.api.edits.push.mutate({ ...ref, update: editor.edit((t) => t.insert(0, "x")) });
    await waitFor(() => early.events.length === 1, { what: "first edit" });
    const staleId = early.events[0]!.id!;
    early.stop();
    for (let i = 0; i < 60; i++) await owner.client.api.edits.push.mutate({ ...ref, update: editor.edit((t) => t.insert(t.length, `${i},`)) });

    const late = collect(viewer, { lessonId: ref.lessonId, ownerId: ref.ownerId, lastEventId: staleId });
    await waitFor(() => late.events.length >= 1, { what: "reset" });
    expect(late.events[0]!.event).toEqual({ type: "reset" });
    late.stop();
    // What the SDK does on reset: fetch the document again.
    const fresh = await rawReplica(viewer, ref);
    expect(fresh.text()).toBe(editor.text());
  });

  it("with batch: true, events queued together arrive as one batch, in order, tracked by the last id", async () => {
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "batched.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "" });
    const viewer = await connectUser(a.wsUrl, room.teacher.userId);
    const early = collect(viewer, { lessonId: ref.lessonId, ownerId: ref.ownerId });
    await early.started;
    const editor = await rawReplica(owner.client, ref);
    await owner.client.api.edits.push.mutate({ ...ref, update: editor.edit((t) => t.insert(0, "x")) });
    await waitFor(() => early.events.length === 1, { what: "first edit" });
    early.stop();
    const missed: string[] = [];
    for (let i = 0; i < 10; i++) {
      missed.push(editor.edit((t) => t.insert(t.length, `${i},`)));
      await owner.client.api.edits.push.mutate({ ...ref, update: missed.at(-1)! });
    }
    // The replay comes from one page of the log: it is all queued at once.
    const resumed = collect(viewer, { lessonId: ref.lessonId, ownerId: ref.ownerId, lastEventId: early.events[0]!.id!, batch: true });
    await waitFor(() => resumed.events.length > 0, { what: "the replay" });
    const [batch] = resumed.events as unknown as { id: string; event: ProjectEventBatch }[];
    expect(batch!.event.type).toBe("batch");
    expect(batch!.event.events.map((e) => (e.event as { update?: string }).update)).toEqual(missed);
    expect(batch!.id).toBe(batch!.event.events.at(-1)!.id);
    // One event at a time comes unwrapped.
    await owner.client.api.edits.push.mutate({ ...ref, update: editor.edit((t) => t.insert(0, "live ")) });
    await waitFor(() => resumed.events.length === 2, { what: "a live edit" });
    expect(resumed.events[1]!.event.type).toBe("edit");
    resumed.stop();

    // The SDK asks for batches and hands its listeners one event at a time.
    const sdkViewer = await connectUser(b.wsUrl, room.teacher.userId);
    const watch = sdkViewer.watchProject({ lessonId: ref.lessonId, ownerId: ref.ownerId });
    const seen: ProjectEvent[] = [];
    watch.stream.listen({ onEvent: (event) => seen.push(event) });
    await watch.stream.ready;
    const burst = Array.from({ length: 5 }, (_, i) => editor.edit((t) => t.insert(t.length, `burst${i}`)));
    await Promise.all(burst.map((update) => owner.client.api.edits.push.mutate({ ...ref, update })));
    await waitFor(() => seen.length === 5, { what: "the burst through the SDK" });
    expect(seen.every((event) => event.type === "edit")).toBe(true);
    expect(new Set(seen.map((event) => (event as { update: string }).update))).toEqual(new Set(burst));
    watch.release();
  });

  it("a stopped watch leaves no subscription behind on the instance", async () => {
    const owner = room.students[1]!;
    const events = a.app.deps.events as unknown as { stats(): { subscriptions: number } };
    const before = events.stats().subscriptions;
    const viewer = await connectUser(a.wsUrl, room.teacher.userId);
    const watches = [1, 2, 3].map(() => collect(viewer, { lessonId: room.lessonId, ownerId: owner.participantId, batch: true }));
    await Promise.all(watches.map((w) => w.started));
    expect(events.stats().subscriptions).toBe(before + 3);
    watches.forEach((w) => w.stop());
    await waitFor(() => events.stats().subscriptions === before, { what: "the subscriptions to end" });
  });

  it("edits made while disconnected are delivered once after reconnecting", async () => {
    const owner = room.students[0]!;
    const port = await freePort();
    let lone = await startTestApp({}, { port });
    const client = createCohortClient({ url: lone.wsUrl, token: await tokenFor(owner.userId), WebSocket, retryDelayMs: () => 100 });
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "offline.txt" };
    await client.api.files.create.mutate({ ...ref, type: "file", content: "start\n" });
    const doc = await client.openFile(ref);
    await lone.close({ graceful: false }); // the only instance this client knows goes away
    await waitFor(() => client.connection.state !== "open", { what: "client to notice" });
    doc.insert(doc.text.length, "typed offline 1\n");
    doc.insert(doc.text.length, "typed offline 2\n");
    expect(doc.pendingUpdates).toBeGreaterThan(0);
    lone = await startTestApp({}, { port });
    await waitFor(() => doc.pendingUpdates === 0, { timeoutMs: 15_000, what: "queued edits to flush" });
    const stored = await owner.client.api.files.read.query(ref);
    expect(stored.content).toBe("start\ntyped offline 1\ntyped offline 2\n");
    doc.close();
    await client.close();
    await lone.close();
  });
});
