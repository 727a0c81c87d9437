import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveDocument, ProjectEvent } from "@cohort/sdk";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { classroom, type Classroom } from "./support/classroom.js";
import { startRedisCluster, type RedisCluster } from "./support/redis-cluster.js";
import { waitFor } from "./support/wait-for.js";
import { projectKeys, projectTag } from "@cohort/storage";
import { topics } from "@cohort/api";
import { docKeys } from "@cohort/collab";

let cluster: RedisCluster;
let a: StartedApp;
let b: StartedApp;
let room: Classroom;

beforeAll(async () => {
  cluster = await startRedisCluster();
  const env = { REDIS_URL: cluster.url, PRESENCE_TTL_MS: "1500", PRESENCE_HEARTBEAT_MS: "300" };
  [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
  room = await classroom([a.wsUrl, b.wsUrl], { students: 4, tag: "cluster" });
}, 60_000);
afterAll(async () => {
  await closeAllClients();
  await Promise.all([a?.close(), b?.close()]);
  await cluster?.stop();
});

describe("on a 3-master Redis Cluster", () => {
  it("keys of one project (and of one lesson) stay in one slot, spread over the masters by lesson", async () => {
    const { execFileSync } = await import("node:child_process");
    const slotOf = (key: string) => Number(execFileSync("redis-cli", ["-p", String(cluster.ports[0]), "cluster", "keyslot", key]).toString());
    const prefix = "cohort:";
    // The keys the app builds: a project's files and its event stream (the commit script and the
    // edit's append touch both), its live documents (same base), and the lesson-wide topics.
    const slotsOfLesson = (lessonId: number) => {
      const files = projectKeys(prefix, { lessonId, ownerId: 1 });
      const documents = docKeys(prefix, { tag: projectTag({ lessonId, ownerId: 1 }), fileId: 1 });
      const project = [...Object.values(files), `${prefix}${topics.project(lessonId, 1)}`, ...documents].map(slotOf);
      const lesson = [topics.inbox(lessonId, 1), topics.inbox(lessonId, 2), topics.acl(lessonId), topics.monitor(lessonId)].map((t) => slotOf(prefix + t));
      return { project: new Set(project), lesson: new Set(lesson) };
    };
    const lessons = [1, 2, 3, 4, 5, 6].map(slotsOfLesson);
    for (const { project, lesson } of lessons) {
      expect(project.size).toBe(1);
      expect(lesson.size).toBe(1);
    }
    expect(new Set(lessons.map(({ project }) => [...project][0])).size).toBeGreaterThan(1);
  });

  it("presence works across instances", async () => {
    const [s1, s2] = room.students as [Classroom["students"][0], Classroom["students"][0]];
    const seen = new Set<number>();
    const watcher = await connectUser(a.wsUrl, s1.userId);
    const sub = watcher.api.lesson.presence.subscribe(
      { lessonId: room.lessonId },
      {
        onData: (t) => {
          const e = (t as unknown as { data: { type: string; online?: number[]; participantId?: number } }).data;
          if (e.type === "snapshot") e.online!.forEach((id) => seen.add(id));
          else if (e.type === "online") seen.add(e.participantId!);
          else seen.delete(e.participantId!);
        },
      },
    );
    const other = await connectUser(b.wsUrl, s2.userId);
    const sub2 = other.api.lesson.presence.subscribe({ lessonId: room.lessonId }, { onData: () => undefined });
    await waitFor(() => seen.has(s2.participantId) && seen.has(s1.participantId), { what: "both online" });
    sub2.unsubscribe();
    await waitFor(() => !seen.has(s2.participantId), { what: "s2 offline" });
    sub.unsubscribe();
  });

  it("file operations, directory moves and live edits converge across instances", async () => {
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId };
    for (let i = 0; i < 60; i++) await owner.client.api.files.create.mutate({ ...ref, path: `pkg/m${i}.py`, type: "file", content: `# ${i}\n` });
    await owner.client.api.files.rename.mutate({ ...ref, path: "pkg", newPath: "lib/pkg" });
    const list = await room.teacher.client.api.files.list.query(ref);
    expect(list.entries.filter((e) => e.path.startsWith("lib/pkg/")).length).toBe(60);

    const events: ProjectEvent[] = [];
    const watch = room.students[3]!.client; // granted below
    await owner.client.api.project.setPermissions.mutate({
      lessonId: room.lessonId,
      grants: room.students.slice(1).map((s) => ({ viewerId: s.participantId, permission: 6 })),
    });
    const sub = watch.api.project.watch.subscribe(ref, { onData: (t) => events.push((t as unknown as { data: ProjectEvent }).data) });
    const file = { ...ref, path: "lib/pkg/m0.py" };
    const docs: LiveDocument[] = await Promise.all([owner, room.teacher, room.students[1]!, room.students[2]!].map((m) => m.client.openFile(file)));
    for (let round = 0; round < 25; round++) {
      // At either end, so markers stay whole and can be counted afterwards.
      docs.forEach((d, i) => d.insert(Math.random() < 0.5 ? 0 : d.text.length, `[${i}.${round}]`));
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(docs.map((d) => d.flush()));
    const stored = (await owner.client.api.files.read.query(file)).content;
    await waitFor(() => docs.every((d) => d.toString() === stored), { timeoutMs: 10_000, what: "convergence" });
    for (let i = 0; i < 4; i++) for (let r = 0; r < 25; r++) expect(stored).toContain(`[${i}.${r}]`);
    await waitFor(() => events.filter((e) => e.type === "edit").length >= 1, { what: "edit events" });
    docs.forEach((d) => d.close());
    sub.unsubscribe();
  });
});
