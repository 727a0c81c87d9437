import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { classroom, refusal, type Classroom } from "./support/classroom.js";
import { figureLine } from "./support/figure-line.js";

// The participant's limit is small; a connection's own limit is far above it, so only the
// participant's can refuse here.
const limits = {
  RATE_LIMIT_USER_PER_SEC: "1",
  RATE_LIMIT_USER_BURST: "30",
  RATE_LIMIT_CONNECTION_PER_SEC: "500",
  RATE_LIMIT_CONNECTION_BURST: "500",
  RATE_LIMIT_CURSOR_USER_PER_SEC: "1",
  RATE_LIMIT_CURSOR_USER_BURST: "20",
  RATE_LIMIT_CURSOR_PER_SEC: "500",
  RATE_LIMIT_CURSOR_BURST: "500",
};

const figure = figureLine("rate-limit-shared");
let a: StartedApp;
let b: StartedApp;
let room: Classroom;

beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp(limits), startTestApp(limits)]);
  room = await classroom([a.wsUrl, b.wsUrl], { students: 4, tag: "shared-limit" });
});
afterAll(async () => {
  await closeAllClients();
  await Promise.all([a?.close(), b?.close()]);
});

async function pings(client: Awaited<ReturnType<typeof connectUser>>, ref: { lessonId: number; ownerId: number }, n: number) {
  return Promise.allSettled(Array.from({ length: n }, () => client.api.project.ping.mutate(ref)));
}

describe("the per-participant limit holds over every instance", () => {
  it("a participant with a connection on each of two instances gets one budget, not one per instance", async () => {
    const s = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: s.participantId };
    const [onA, onB] = await Promise.all([connectUser(a.wsUrl, s.userId), connectUser(b.wsUrl, s.userId)]);
    const results = (await Promise.all([pings(onA, ref, 40), pings(onB, ref, 40)])).flat();
    const served = results.filter((r) => r.status === "fulfilled").length;
    // The burst (30, less the lesson.join of the setup), plus what refills at 1/s while the calls
    // run and at most one lease per instance of slack; each instance alone would have served 30 + 30.
    expect(served).toBeGreaterThanOrEqual(29);
    expect(served).toBeLessThanOrEqual(36);
    const refused = await Promise.all(results.filter((r) => r.status === "rejected").map((r) => refusal(Promise.reject((r as PromiseRejectedResult).reason))));
    expect(refused.every((e) => e.code === "TOO_MANY_REQUESTS" && e.appCode === "RATE_LIMITED")).toBe(true);
    figure(`one participant on 2 instances: ${served} of ${results.length} pings served (burst 30, 1/s), ${refused.length} refused`);
  });

  it("other participants keep their own budgets meanwhile", async () => {
    const [s1, s2] = [room.students[1]!, room.students[2]!];
    const results = await Promise.all([
      pings(s1.client, { lessonId: room.lessonId, ownerId: s1.participantId }, 20),
      pings(s2.client, { lessonId: room.lessonId, ownerId: s2.participantId }, 20),
    ]);
    expect(results.flat().every((r) => r.status === "fulfilled")).toBe(true);
    figure(`2 other participants meanwhile: ${results.flat().length} of ${results.flat().length} served`);
  });

  it("cursor moves have a participant budget of their own, also over every instance", async () => {
    const s = room.students[3]!;
    const ref = { lessonId: room.lessonId, ownerId: s.participantId };
    await s.client.api.files.create.mutate({ ...ref, path: "main.py", type: "file", content: "x = 1\n" });
    const [onA, onB] = await Promise.all([connectUser(a.wsUrl, s.userId), connectUser(b.wsUrl, s.userId)]);
    const moves = (client: typeof onA, n: number) =>
      Promise.allSettled(Array.from({ length: n }, (_, i) => client.api.cursor.move.mutate({ ...ref, path: "main.py", position: { line: 1, column: i % 5 } })));
    const results = (await Promise.all([moves(onA, 30), moves(onB, 30)])).flat();
    const served = results.filter((r) => r.status === "fulfilled").length;
    expect(served).toBeGreaterThanOrEqual(20);
    expect(served).toBeLessThanOrEqual(26);
    // Spending the cursor budget left the mutation budget alone.
    expect(await s.client.api.project.ping.mutate(ref)).toEqual({ ok: true });
    figure(`cursor moves on 2 instances: ${served} of ${results.length} served (burst 20, 1/s), a ping after them served`);
  });
});
