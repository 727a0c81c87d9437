import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse } from "@cohort/db";
import { appRouter } from "@cohort/api";
import { classroom } from "./support/classroom.js";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { waitFor } from "./support/wait-for.js";

let server: StartedApp;
beforeAll(async () => {
  server = await startTestApp();
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

describe("health, readiness and metrics", () => {
  it("answers /healthz and /readyz with the state of Redis and the database", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { redis: true, database: true } });
  });

  it("counts connections and calls in Prometheus text", async () => {
    const course = await seedCourse(await testDb(), { students: 1, tag: "metrics" });
    const client = await connectUser(server.wsUrl, course.students[0]!.userId);
    await client.api.session.me.query();
    await client.api.lesson.join.mutate({ lessonId: 2_000_000_001 }).catch(() => undefined);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^cohort_ws_connections 1$/m);
    expect(text).toMatch(/cohort_calls_total\{path="session.me",type="query",code="OK"\} 1/);
    expect(text).toMatch(/cohort_calls_total\{path="lesson.join",type="mutation",code="NOT_FOUND"\} 1/);
    expect(text).toMatch(/cohort_ws_messages_in_total\{procedure="session.me"\} [1-9]/);
  });

  it("counts messages in and out by procedure, subscription items under their subscription", async () => {
    const messages = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const counts = new Map<string, number>();
      for (const m of text.matchAll(/^cohort_ws_messages_(in|out)_total\{procedure="([^"]*)"\} (\d+)$/gm)) counts.set(`${m[1]} ${m[2]}`, Number(m[3]));
      return counts;
    };
    const room = await classroom(server.wsUrl, { students: 1, tag: "metrics-labels" });
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId };
    const before = await messages();
    const moved = (after: Map<string, number>, key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);

    await owner.client.api.session.me.query();
    let after = await messages();
    expect(moved(after, "in session.me")).toBe(1);
    expect(moved(after, "out session.me")).toBe(1);

    const events: unknown[] = [];
    const sub = room.teacher.client.api.project.watch.subscribe(ref, { onData: (item) => events.push(item) });
    await new Promise((r) => setTimeout(r, 100));
    await owner.client.api.files.create.mutate({ ...ref, path: "counted.txt", type: "file", content: "x" });
    await waitFor(() => events.length > 0, { what: "the file.created event" });
    after = await messages();
    expect(moved(after, "in project.watch")).toBe(1);
    // "started", then the item.
    expect(moved(after, "out project.watch")).toBeGreaterThanOrEqual(2);
    expect(moved(after, "in files.create")).toBe(1);
    sub.unsubscribe();

    // Only the router's paths become labels.
    const labels = new Set([...after.keys()].map((key) => key.split(" ")[1]!));
    const allowed = new Set([...Object.keys(appRouter._def.procedures), "none", "unknown"]);
    expect([...labels].filter((label) => !allowed.has(label))).toEqual([]);
  });

  it("answers unknown paths with 404", async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });
});
