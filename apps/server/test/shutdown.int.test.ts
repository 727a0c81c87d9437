import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { seedCourse, type SeededCourse } from "@cohort/db";
import { CloseCode } from "@cohort/api";
import { closeAllClients, connectUser, startTestApp, tokenFor, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { waitFor } from "./support/wait-for.js";

let a: StartedApp;
let b: StartedApp;
let c: StartedApp;
let course: SeededCourse;

beforeAll(async () => {
  // Each test closes one instance: a in the first, b in the second (c is where b's client goes).
  [a, b, c] = await Promise.all([startTestApp(), startTestApp(), startTestApp()]);
  course = await seedCourse(await testDb(), { students: 1, tag: "shutdown" });
});
afterAll(async () => {
  await closeAllClients();
  await Promise.all([a.close(), b.close(), c.close()]);
});

/** A bare tRPC WebSocket that authenticates, answers one call, and records what it is sent and how it closes. */
async function rawClient(wsUrl: string, token: string) {
  const socket = new WebSocket(`${wsUrl}?connectionParams=1`);
  const messages: unknown[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  socket.on("message", (data) => messages.push(JSON.parse(String(data))));
  socket.on("error", () => undefined);
  await new Promise((resolve) => socket.once("open", resolve));
  socket.send(JSON.stringify({ method: "connectionParams", data: { token } }));
  socket.send(JSON.stringify({ id: 1, method: "query", params: { path: "session.me" } }));
  await waitFor(() => messages.some((m) => (m as { id?: unknown }).id === 1), { what: "an answer to session.me" });
  return { messages, closed };
}

async function connectionsOf(app: StartedApp): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return Number(/^cohort_ws_connections (\d+)$/m.exec(text)?.[1]);
}

describe("graceful shutdown", () => {
  it("tells each client to reconnect, then closes its socket with 1001 (going away)", async () => {
    const student = course.students[0]!;
    const raw = await rawClient(a.wsUrl, await tokenFor(student.userId));
    expect(raw.messages).toContainEqual(expect.objectContaining({ id: 1, result: expect.objectContaining({ data: expect.objectContaining({ userId: student.userId }) }) }));
    await a.close();
    const { code } = await raw.closed;
    expect(raw.messages).toContainEqual({ id: null, method: "reconnect" });
    expect(code).toBe(CloseCode.GoingAway);
  });

  it("an SDK client given both instances carries on against the other one", async () => {
    const student = course.students[0]!;
    const client = await connectUser([b.wsUrl, c.wsUrl], student.userId);
    await client.api.lesson.join.mutate({ lessonId: course.lessonId });
    expect(await connectionsOf(b)).toBe(1);
    expect(await connectionsOf(c)).toBe(0);

    await b.close();
    const me = await client.api.session.me.query();
    expect(me.userId).toBe(student.userId);
    const participants = await client.api.lesson.participants.query({ lessonId: course.lessonId });
    expect(participants.map((p) => p.id)).toContain(student.participantId);
    await waitFor(async () => (await connectionsOf(c)) === 1, { what: "the client's connection to the other instance" });
    expect(client.connection.state).toBe("open");
  });
});
