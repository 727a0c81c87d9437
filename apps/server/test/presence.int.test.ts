import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import type { CohortClient } from "@cohort/sdk";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { waitFor } from "./support/wait-for.js";
import { startServerProcess } from "./support/server-process.js";

type PresenceEvent = { type: "snapshot"; online: number[] } | { type: "online" | "offline"; participantId: number };

/** Holds lesson.presence for a client and keeps the set of online participants it has been told. */
function watchPresence(client: CohortClient, lessonId: number) {
  const online = new Set<number>();
  const events: PresenceEvent[] = [];
  const subscription = client.api.lesson.presence.subscribe(
    { lessonId },
    {
      onData: ({ data }) => {
        const event = data as PresenceEvent;
        events.push(event);
        if (event.type === "snapshot") {
          online.clear();
          for (const id of event.online) online.add(id);
        } else if (event.type === "online") online.add(event.participantId);
        else online.delete(event.participantId);
      },
    },
  );
  return { online, events, stop: () => subscription.unsubscribe() };
}

/** A client of `userId` that has joined the lesson, as an IDE does before it shows presence. */
async function joined(wsUrl: string, userId: number): Promise<CohortClient> {
  const client = await connectUser(wsUrl, userId);
  await client.api.lesson.join.mutate({ lessonId: course.lessonId });
  return client;
}

let a: StartedApp;
let b: StartedApp;
let course: SeededCourse;

beforeAll(async () => {
  // Short TTL so a dead instance's clients go offline quickly in the test.
  const fast = { PRESENCE_TTL_MS: "1500", PRESENCE_HEARTBEAT_MS: "300" };
  [a, b] = await Promise.all([startTestApp(fast), startTestApp(fast)]);
  course = await seedCourse(await testDb(), { students: 3, tag: "presence" });
});
afterAll(async () => {
  await closeAllClients();
  await Promise.all([a.close(), b.close()]);
});

describe("lesson.presence", () => {
  it("shows students coming online and going offline, on both instances, to each other", async () => {
    const [s1, s2, s3] = course.students as [SeededCourse["students"][0], SeededCourse["students"][0], SeededCourse["students"][0]];
    const c1 = await joined(a.wsUrl, s1.userId);
    const c2 = await joined(a.wsUrl, s2.userId);
    const c3 = await joined(b.wsUrl, s3.userId); // second instance, same Redis
    const w1 = watchPresence(c1, course.lessonId);
    await waitFor(() => w1.online.has(s1.participantId), { what: "s1 sees itself online" });
    const w3 = watchPresence(c3, course.lessonId);
    await waitFor(() => w1.online.has(s3.participantId), { what: "s1 sees s3 (other instance)" });
    let w2 = watchPresence(c2, course.lessonId);
    await waitFor(() => w1.online.has(s2.participantId) && w3.online.has(s2.participantId), { what: "everyone sees s2" });
    const everyone = [s1.participantId, s2.participantId, s3.participantId].sort();
    await waitFor(() => w2.online.size === 3, { what: "s2 sees everyone" });
    expect([...w2.online].sort()).toEqual(everyone);
    expect([...w3.online].sort()).toEqual(everyone);

    const viaList = await c3.api.lesson.participants.query({ lessonId: course.lessonId });
    expect(viaList.filter((p) => p.online).map((p) => p.id).sort()).toEqual([...w3.online].sort());

    // s2 leaves: s1 (same instance) and s3 (other instance) are told.
    w2.stop();
    await waitFor(() => !w1.online.has(s2.participantId) && !w3.online.has(s2.participantId), { what: "s2 offline everywhere" });
    expect(w1.events).toContainEqual({ type: "offline", participantId: s2.participantId });

    // s2 comes back and s1 leaves: s2 and s3 are told.
    w2 = watchPresence(c2, course.lessonId);
    await waitFor(() => w1.online.has(s2.participantId) && w2.online.has(s1.participantId), { what: "s2 back online" });
    w1.stop();
    await waitFor(() => !w2.online.has(s1.participantId) && !w3.online.has(s1.participantId), { what: "s1 offline everywhere" });
    expect(w2.events).toContainEqual({ type: "offline", participantId: s1.participantId });
    expect(w3.events.filter((e) => e.type === "offline")).toEqual([
      { type: "offline", participantId: s2.participantId },
      { type: "offline", participantId: s1.participantId },
    ]);
    w2.stop();
    w3.stop();
  });

  it("keeps a participant with two tabs online until both close", async () => {
    const s1 = course.students[0]!;
    const observer = watchPresence(await joined(b.wsUrl, course.teacher.userId), course.lessonId);
    const tab1 = watchPresence(await joined(a.wsUrl, s1.userId), course.lessonId);
    const tab2 = watchPresence(await joined(b.wsUrl, s1.userId), course.lessonId);
    await waitFor(() => observer.online.has(s1.participantId) && tab2.online.has(s1.participantId), { what: "tabs online" });
    tab1.stop();
    await new Promise((r) => setTimeout(r, 400));
    expect(observer.online.has(s1.participantId)).toBe(true);
    tab2.stop();
    await waitFor(() => !observer.online.has(s1.participantId), { what: "offline after last tab" });
    const offlineEvents = observer.events.filter((e) => e.type === "offline" && e.participantId === s1.participantId);
    expect(offlineEvents).toHaveLength(1);
    observer.stop();
  });

  it("takes the clients of an instance that dies without goodbye offline within the TTL", async () => {
    const doomed = await startServerProcess({ PRESENCE_TTL_MS: "1500", PRESENCE_HEARTBEAT_MS: "300" });
    const s2 = course.students[1]!;
    const observer = watchPresence(await joined(a.wsUrl, course.teacher.userId), course.lessonId);
    watchPresence(await joined(doomed.wsUrl, s2.userId), course.lessonId);
    await waitFor(() => observer.online.has(s2.participantId), { what: "s2 online via doomed instance" });
    const killedAt = Date.now();
    await doomed.kill();
    await waitFor(() => !observer.online.has(s2.participantId), { timeoutMs: 6_000, what: "s2 offline after crash" });
    expect(Date.now() - killedAt).toBeLessThan(1500 + 2_000);
    observer.stop();
  });
});
