import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { closeAllClients, startTestApp, tokenFor, type StartedApp } from "./support/test-app.js";
import { classroom, type Classroom } from "./support/classroom.js";
import { waitFor } from "./support/wait-for.js";
import { topics } from "@cohort/api";
import type { RedisEventLog } from "@cohort/realtime";

/**
 * project.watch items leave through the direct fan-out path: frames written straight to the socket
 * outside tRPC's loop (apps/server/src/subscription-channels.ts). These tests read the wire as a
 * client would and hold those frames to tRPC's own protocol.
 */
let server: StartedApp;
let room: Classroom;
let project: { lessonId: number; ownerId: number };

beforeAll(async () => {
  server = await startTestApp();
  room = await classroom(server.wsUrl, { students: 1, tag: "frames" });
  project = { lessonId: room.lessonId, ownerId: room.students[0]!.participantId };
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

type Frame = { id: unknown; jsonrpc?: string; result?: { type: string; id?: string; data?: { id: string; data: { type: string; path?: string } } }; error?: unknown };

/** The teacher on a bare socket speaking tRPC's JSON-RPC by hand; every frame received, parsed. */
async function rawTeacher() {
  const socket = new WebSocket(`${server.wsUrl}?connectionParams=1`);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  const frames: Frame[] = [];
  socket.on("message", (data, isBinary) => {
    expect(isBinary).toBe(false); // tRPC speaks JSON in text frames
    frames.push(JSON.parse(String(data)) as Frame);
  });
  socket.send(JSON.stringify({ method: "connectionParams", data: { token: await tokenFor(room.teacher.userId) } }));
  const send = (message: object) => socket.send(JSON.stringify(message));
  const of = (id: unknown) => frames.filter((frame) => frame.id === id);
  return { socket, frames, send, of };
}

const createFile = (path: string) => room.students[0]!.client.api.files.create.mutate({ ...project, path, type: "file", content: "x" });

async function directFrames(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^cohort_ws_direct_frames_total (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

describe("project.watch frames on the wire", () => {
  it("are tRPC's tracked items, after 'started', for string and numeric ids, with and without jsonrpc", async () => {
    const raw = await rawTeacher();
    raw.send({ id: "w-1", jsonrpc: "2.0", method: "subscription", params: { path: "project.watch", input: project } });
    raw.send({ id: 7, method: "subscription", params: { path: "project.watch", input: project } });
    await waitFor(() => raw.of("w-1").length === 1 && raw.of(7).length === 1);
    const before = await directFrames();
    for (const path of ["a.txt", "b.txt", "c.txt"]) await createFile(path);
    await waitFor(() => raw.of("w-1").length === 4 && raw.of(7).length === 4);

    for (const [id, jsonrpc] of [["w-1", { jsonrpc: "2.0" }], [7, {}]] as const) {
      const [started, ...items] = raw.of(id);
      expect(started).toEqual({ id, ...jsonrpc, result: { type: "started" } });
      expect(items.map((frame) => frame.result?.data?.data.path)).toEqual(["a.txt", "b.txt", "c.txt"]);
      for (const frame of items) {
        expect(Object.keys(frame)).toEqual(["id", ...Object.keys(jsonrpc), "result"]);
        expect(frame).toMatchObject({ id, result: { type: "data", data: { data: { type: "file.created" } } } });
        expect(frame.result!.id).toBe(frame.result!.data!.id); // tRPC repeats the event id in the data
      }
    }
    // Written outside tRPC's loop: 3 events × 2 watches (counted when sent, before they arrive).
    expect((await directFrames()) - before).toBe(6);
    raw.socket.close();
  });

  it("resume from a top-level lastEventId: the events after it, then live ones, each once", async () => {
    const live = await rawTeacher();
    live.send({ id: 1, method: "subscription", params: { path: "project.watch", input: project } });
    await waitFor(() => live.of(1).length === 1);
    for (const path of ["r1.txt", "r2.txt", "r3.txt"]) await createFile(path);
    await waitFor(() => live.of(1).length === 4);
    const firstId = live.of(1)[1]!.result!.id;

    const resumed = await rawTeacher();
    resumed.send({ id: 2, method: "subscription", params: { path: "project.watch", input: project, lastEventId: firstId } });
    await waitFor(() => resumed.of(2).length === 3); // started + r2 + r3
    await createFile("r4.txt");
    await waitFor(() => resumed.of(2).length === 4);
    expect(resumed.of(2).map((frame) => frame.result?.data?.data.path ?? frame.result?.type)).toEqual(["started", "r2.txt", "r3.txt", "r4.txt"]);
    live.socket.close();
    resumed.socket.close();
  });

  it("stop ends one watch with 'stopped' and nothing after it, while another on the socket goes on", async () => {
    const raw = await rawTeacher();
    raw.send({ id: "keep", method: "subscription", params: { path: "project.watch", input: project } });
    raw.send({ id: "stop", method: "subscription", params: { path: "project.watch", input: project } });
    await waitFor(() => raw.of("keep").length === 1 && raw.of("stop").length === 1);
    await createFile("s1.txt");
    await waitFor(() => raw.of("stop").length === 2);
    raw.send({ id: "stop", method: "subscription.stop" });
    await waitFor(() => raw.of("stop").at(-1)?.result?.type === "stopped");
    await createFile("s2.txt");
    await waitFor(() => raw.of("keep").length === 3);
    expect(raw.of("stop").map((frame) => frame.result?.type)).toEqual(["started", "data", "stopped"]);
    expect(raw.of("keep").map((frame) => frame.result?.data?.data.path ?? frame.result?.type)).toEqual(["started", "s1.txt", "s2.txt"]);
    raw.socket.close();
  });

  it("a batch watch gets what queued up together as one batch item", async () => {
    const raw = await rawTeacher();
    raw.send({ id: "b", method: "subscription", params: { path: "project.watch", input: project } });
    await waitFor(() => raw.of("b").length === 1);
    for (const path of ["q1.txt", "q2.txt", "q3.txt"]) await createFile(path);
    await waitFor(() => raw.of("b").length === 4);
    const after = raw.of("b")[1]!.result!.id;
    // Resuming with batch: the backfill of two events comes as one item, named by the last id.
    const batched = await rawTeacher();
    batched.send({ id: "bb", method: "subscription", params: { path: "project.watch", input: { ...project, batch: true }, lastEventId: after } });
    await waitFor(() => batched.of("bb").length === 2);
    const item = batched.of("bb")[1]!.result!;
    const batch = item.data!.data as unknown as { type: string; events: { id: string; event: { path: string } }[] };
    expect(batch.type).toBe("batch");
    expect(batch.events.map((event) => event.event.path)).toEqual(["q2.txt", "q3.txt"]);
    expect(item.id).toBe(batch.events.at(-1)!.id);
    raw.socket.close();
    batched.socket.close();
  });

  it("a batch watch catching up on a long backfill gets it in batches of bounded size", async () => {
    const raw = await rawTeacher();
    raw.send({ id: "mark", method: "subscription", params: { path: "project.watch", input: project } });
    await waitFor(() => raw.of("mark").length === 1);
    await createFile("before-burst.txt");
    await waitFor(() => raw.of("mark").length === 2);
    const after = raw.of("mark")[1]!.result!.id!;
    // 300 events at once, straight into the project's log (the transport is what is tested here).
    const log = server.app.deps.events as unknown as RedisEventLog;
    const burst = Array.from({ length: 300 }, (_, n) => ({ type: "file.created", path: `burst/${n}.txt`, entryType: "file", size: 0, actor: { id: 1, nickname: "t" }, at: 0 }));
    await log.appendMany(topics.project(project.lessonId, project.ownerId), burst);
    const resumed = await rawTeacher();
    resumed.send({ id: "late", method: "subscription", params: { path: "project.watch", input: { ...project, batch: true }, lastEventId: after } });
    const received = () => resumed.of("late").flatMap((frame) => (frame.result?.data?.data as unknown as { events?: { event: { path: string } }[] } | undefined)?.events ?? []);
    await waitFor(() => received().length === 300);
    const sizes = resumed.of("late").slice(1).map((frame) => (frame.result!.data!.data as unknown as { events: unknown[] }).events.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(128);
    expect(received().map((item) => item.event.path)).toEqual(burst.map((event) => event.path));
    raw.socket.close();
    resumed.socket.close();
  });
});
