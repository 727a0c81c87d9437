import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse } from "@cohort/db";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";

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
    expect(text).toMatch(/cohort_ws_messages_in_total [1-9]/);
  });

  it("answers unknown paths with 404", async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });
});
