import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CohortClient } from "@cohort/sdk";
import { closeAllClients, connectAdmin, startTestApp, type StartedApp } from "./support/test-app.js";
import { classroom, refusal, type Classroom } from "./support/classroom.js";
import { waitFor } from "./support/wait-for.js";

type MonitorEvent =
  | { type: "trace"; id: string; event: string; from: number; to: number; instance: string; t1: number | null; t2: number; t3: number; size: number }
  | { type: "instance"; instanceId: string; connections: number; messagesInPerSec: number; messagesOutPerSec: number; at: number }
  | { type: "sampling"; instance: string; kept: number; dropped: number; at: number };

/** Holds monitor.watch for an admin and collects what it shows. */
function watchMonitor(admin: CohortClient, input: { lessonId: number; sampleRate?: number }) {
  const events: MonitorEvent[] = [];
  const subscription = admin.api.monitor.watch.subscribe(input, { onData: (data) => events.push(data as MonitorEvent) });
  return {
    events,
    traces: () => events.filter((e): e is Extract<MonitorEvent, { type: "trace" }> => e.type === "trace"),
    stop: () => subscription.unsubscribe(),
  };
}

// Fast heartbeats and a small trace cap, so the test sees both within a few seconds.
const env = { MONITOR_HEARTBEAT_MS: "300", MONITOR_REFRESH_MS: "200", MONITOR_MAX_TRACES_PER_SEC: "5", LOADTEST_LOCAL_LAUNCHER: "false", LOG_LEVEL: "warn" };
let a: StartedApp;
let b: StartedApp;
let room: Classroom;

beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
  room = await classroom(a.wsUrl, { students: 2, tag: "monitor" });
});
afterAll(async () => {
  await closeAllClients();
  await Promise.all([a.close(), b.close()]);
});

describe("monitor", () => {
  it("shows a real client's traced cursor move and edit, with t1, t2, t3 and the instance", async () => {
    const admin = connectAdmin(b.wsUrl); // watching from the other instance
    const student = room.students[0]!;
    const watch = watchMonitor(admin, { lessonId: room.lessonId });
    await waitFor(() => watch.events.some((e) => e.type === "instance"), { what: "first heartbeat (watch is live)" });
    // The other instance learns that the lesson is watched within one refresh.
    await new Promise((resolve) => setTimeout(resolve, 400));

    const project = { lessonId: room.lessonId, ownerId: student.participantId };
    await student.client.api.files.create.mutate({ ...project, path: "main.py", type: "file", content: "print(1)\n" });
    const t1 = Date.now();
    await student.client.api.cursor.move.mutate({ ...project, path: "main.py", position: { line: 0, column: 3 }, trace: { id: "probe-cursor", t1 } });
    const live = await student.client.openFile({ ...project, path: "main.py", trace: () => ({ id: "probe-edit", t1: Date.now() }) });
    live.insert(0, "# hi\n");
    await live.flush();
    live.close();

    const cursor = await waitFor(() => watch.traces().find((t) => t.id === "probe-cursor"), { what: "cursor trace" });
    expect(cursor).toMatchObject({ event: "cursor", from: student.participantId, to: student.participantId, instance: a.app.deps.instanceId, t1 });
    expect(cursor.t2).toBeGreaterThanOrEqual(t1);
    expect(cursor.t3).toBeGreaterThanOrEqual(cursor.t2);
    const edit = await waitFor(() => watch.traces().find((t) => t.id === "probe-edit"), { what: "edit trace" });
    expect(edit).toMatchObject({ event: "edit", from: student.participantId, instance: a.app.deps.instanceId });
    expect(edit.size).toBeGreaterThan(0);
    expect(edit.t3).toBeGreaterThanOrEqual(edit.t2);
    expect(watch.traces().some((t) => t.event === "file.created" && t.t1 === null)).toBe(true);
    watch.stop();
  });

  it("lists both running instances with their connections", async () => {
    const admin = connectAdmin(a.wsUrl);
    const instances = await waitFor(
      async () => {
        const list = await admin.api.monitor.instances.query();
        const ids = list.map((i) => i.instanceId);
        return ids.includes(a.app.deps.instanceId) && ids.includes(b.app.deps.instanceId) ? list : null;
      },
      { what: "both instances listed" },
    );
    const first = instances.find((i) => i.instanceId === a.app.deps.instanceId)!;
    expect(first.connections).toBeGreaterThanOrEqual(1);
    expect(Date.now() - first.at).toBeLessThan(10_000);
    expect(first.startedAt).toBeLessThanOrEqual(first.at);
  });

  it("heartbeats carry the instance's message rates while traffic flows", async () => {
    const admin = connectAdmin(b.wsUrl);
    const student = room.students[0]!; // connected to instance a
    const watch = watchMonitor(admin, { lessonId: room.lessonId });
    await waitFor(() => watch.events.some((e) => e.type === "instance"), { what: "watch is live" });
    const project = { lessonId: room.lessonId, ownerId: student.participantId };
    await student.client.api.files.create.mutate({ ...project, path: "rates.txt", type: "file" }).catch(() => undefined);
    // About 20 mutations a second into instance a (each one frame in, its answer one frame out),
    // well under the rate limits, until a heartbeat shows them. Keep-alive pings alone (one per
    // client per 10 s) cannot reach the thresholds below within a 300 ms beat.
    const since = Date.now();
    let sending = true;
    const traffic = (async () => {
      for (let i = 0; sending; i++) {
        await student.client.api.cursor.move.mutate({ ...project, path: "rates.txt", position: { line: 0, column: i % 50 } });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      const busy = (e: MonitorEvent) => e.type === "instance" && e.instanceId === a.app.deps.instanceId && e.at > since && e.messagesInPerSec >= 8 && e.messagesOutPerSec >= 8;
      const beat = await waitFor(() => watch.events.find(busy), { what: "a heartbeat of instance a with message rates" });
      expect(beat).toMatchObject({ messagesInPerSec: expect.any(Number), messagesOutPerSec: expect.any(Number) });
      const listed = (await admin.api.monitor.instances.query()).find((i) => i.instanceId === a.app.deps.instanceId);
      expect(listed?.messagesInPerSec).toBeGreaterThan(0);
      expect(listed?.messagesOutPerSec).toBeGreaterThan(0);
    } finally {
      sending = false;
      await traffic;
      watch.stop();
    }
  });

  it("caps traces per lesson and second, and says how many it dropped", async () => {
    const admin = connectAdmin(a.wsUrl);
    const student = room.students[1]!;
    const watch = watchMonitor(admin, { lessonId: room.lessonId });
    await waitFor(() => watch.events.some((e) => e.type === "instance"), { what: "watch is live" });
    const project = { lessonId: room.lessonId, ownerId: student.participantId };
    await Promise.all(Array.from({ length: 30 }, (_, i) => student.client.api.files.create.mutate({ ...project, path: `f${i}.txt`, type: "file" })));
    // Let the creations' traces (within the cap) pass, so the burst below has a second to itself.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const baseline = watch.events.length;
    // 30 cursor moves on 30 files at once: each is its own cursor stream, so none is coalesced.
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        student.client.api.cursor.move.mutate({ ...project, path: `f${i}.txt`, position: { line: 0, column: 0 }, trace: { id: `burst-${i}`, t1: Date.now() } }),
      ),
    );
    const seen = () => {
      const later = watch.events.slice(baseline);
      const kept = later.filter((e) => e.type === "trace" && e.id.startsWith("burst-")).length;
      // Notices of the burst's own windows only (the creations above had theirs).
      const dropped = later.reduce((sum, e) => sum + (e.type === "sampling" && e.at >= started ? e.dropped : 0), 0);
      return { kept, dropped };
    };
    const { kept, dropped } = await waitFor(() => (seen().kept + seen().dropped >= 30 ? seen() : null), { what: "every burst event kept or counted as dropped" });
    const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(5 * seconds);
    expect(dropped).toBeGreaterThan(0);
    expect(kept + dropped).toBe(30);
    watch.stop();
  });

  it("is for admins only", async () => {
    const student = room.students[0]!;
    expect(await refusal(student.client.api.monitor.instances.query())).toMatchObject({ code: "FORBIDDEN", appCode: "NOT_ADMIN" });
    const error = await new Promise<unknown>((resolve) => {
      student.client.api.monitor.watch.subscribe({ lessonId: room.lessonId }, { onError: resolve });
    });
    expect(await refusal(Promise.reject(error))).toMatchObject({ code: "FORBIDDEN", appCode: "NOT_ADMIN" });
  });
});
