import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { CohortClient } from "@cohort/sdk";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { classroom, type Classroom } from "./support/classroom.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";
import { rawReplica } from "./support/yjs-client.js";
import { waitFor } from "./support/wait-for.js";

let stable: StartedApp;
let stable2: StartedApp;
let doomed: ServerProcess;
let room: Classroom;

beforeAll(async () => {
  [stable, stable2, doomed] = await Promise.all([startTestApp(), startTestApp(), startServerProcess()]);
  room = await classroom(stable.wsUrl, { students: 3, tag: "restart" });
});
afterAll(async () => {
  await closeAllClients();
  await stable.close();
  await stable2.close();
  await doomed.kill().catch(() => undefined);
});

/** A live copy of a document, kept current only by what arrives while connected. */
interface LiveCopy {
  name: string;
  text(): string;
}

/**
 * A replica fed only by `project.watch` events (what a file tree or a preview pane holds). It never
 * re-fetches on its own after a reconnect, unlike the SDK's LiveDocument: whatever it misses must
 * come from the resumed subscription (tRPC resends `lastEventId`), so it checks the event log's
 * replay across the fail-over. A `reset` (the log no longer reaches back) is answered as API.md
 * says, with a sync from the replica's state vector.
 */
async function watchReplica(name: string, client: CohortClient, ref: { lessonId: number; ownerId: number; path: string }): Promise<LiveCopy> {
  const doc = new Y.Doc();
  const apply = (update: string) => Y.applyUpdate(doc, Buffer.from(update, "base64"));
  const resync = async () => apply((await client.api.edits.sync.mutate({ ...ref, stateVector: Buffer.from(Y.encodeStateVector(doc)).toString("base64") })).update);
  type Event = { type: string; path?: string; update?: string };
  const onEvent = (event: Event) => {
    if (event.type === "edit" && event.path === ref.path) apply(event.update!);
    if (event.type === "reset") void resync();
  };
  await new Promise<void>((resolve, reject) => {
    client.api.project.watch.subscribe(
      { lessonId: ref.lessonId, ownerId: ref.ownerId, batch: true },
      {
        onStarted: () => resolve(),
        onData: (tracked) => {
          const data = (tracked as unknown as { data: Event & { events?: { event: Event }[] } }).data;
          if (data.type === "batch") data.events!.forEach((item) => onEvent(item.event));
          else onEvent(data);
        },
        onError: reject,
      },
    );
  });
  // The starting state, once: from here on only events change it.
  await resync();
  return { name, text: () => doc.getText("content").toString() };
}

describe("one of three instances killed during a burst of edits", () => {
  it("loses no acknowledged edit: all are in storage, in every live copy held across the kill, and on every client after the restart", async () => {
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "burst.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "" });
    await owner.client.api.project.setPermissions.mutate({
      lessonId: room.lessonId,
      grants: room.students.slice(1).map((s) => ({ viewerId: s.participantId, permission: 6 })),
    });
    // Live copies that stay connected through the kill, on the surviving instances and on the
    // doomed one (those fail over): SDK documents (openFile) and bare project.watch replicas.
    const live: LiveCopy[] = [];
    const openLive = async (name: string, urls: string[], userId: number) => {
      const doc = await (await connectUser(urls, userId)).openFile(ref);
      live.push({ name, text: () => doc.text.toString() });
    };
    const [s1, s2] = room.students.slice(1) as [Classroom["students"][0], Classroom["students"][0]];
    await openLive("openFile on stable", [stable.wsUrl], s1.userId);
    await openLive("openFile on stable2", [stable2.wsUrl], s2.userId);
    await openLive("openFile on the killed instance", [doomed.wsUrl, stable.wsUrl], room.teacher.userId);
    live.push(await watchReplica("project.watch on stable2", await connectUser([stable2.wsUrl], owner.userId), ref));
    live.push(await watchReplica("project.watch on the killed instance", await connectUser([doomed.wsUrl, stable2.wsUrl], s1.userId), ref));
    // Every subscription is live before the burst: each copy sees an edit made after it started.
    await owner.client.api.files.write.mutate({ ...ref, content: "<ready>" });
    await waitFor(() => live.every((copy) => copy.text() === "<ready>"), { what: "every live copy to see the first edit" });

    // Four writers (the owner, two granted students, the teacher) are spread over the three
    // instances; those on the doomed one fail over to the others.
    const routes = [
      [doomed.wsUrl, stable.wsUrl],
      [stable.wsUrl, doomed.wsUrl],
      [doomed.wsUrl, stable2.wsUrl],
      [stable2.wsUrl, stable.wsUrl],
    ];
    const writers = await Promise.all([owner, ...room.students.slice(1), room.teacher].map((m, i) => connectUser(routes[i % routes.length]!, m.userId)));
    const acked = new Set<string>();
    let stop = false;
    const loops = writers.map(async (client, w) => {
      // The kill may land while this writer is still syncing: retry that too.
      let replica: Awaited<ReturnType<typeof rawReplica>> | undefined;
      while (!replica) replica = await rawReplica(client, ref).catch(() => new Promise<undefined>((r) => setTimeout(() => r(undefined), 50)));
      for (let i = 0; !stop && i < 400; i++) {
        const marker = `<${w}.${i}>`;
        const update = replica.edit((t) => t.insert(t.length, marker));
        // Retry until acknowledged: a retried Yjs update applies once.
        for (;;) {
          try {
            await client.api.edits.push.mutate({ ...ref, update });
            acked.add(marker);
            break;
          } catch {
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      }
    });
    await waitFor(() => acked.size > 40, { timeoutMs: 15_000, what: "a burst under way" });
    await doomed.kill(); // kill -9: no goodbye
    const ackedAtKill = acked.size;
    await waitFor(() => acked.size > ackedAtKill + 40, { timeoutMs: 20_000, what: "writers to fail over and continue" });
    doomed = await startServerProcess();
    stop = true;
    await Promise.all(loops);

    const viaRestarted = await connectUser(doomed.wsUrl, room.teacher.userId);
    const stored = (await viaRestarted.api.files.read.query(ref)).content;
    const missing = [...acked].filter((m) => !stored.includes(m));
    // The figure docs/reliability.md quotes.
    console.info(`edits-restart: ${writers.length} writers, ${acked.size} acknowledged edits (${ackedAtKill} before the kill), ${missing.length} missing`);
    expect(missing).toEqual([]);
    // Every live copy, without fetching anything, ends with exactly the stored text.
    // (Waited for, then asserted copy by copy, so a failure names the copy and the missing edits.)
    await waitFor(() => live.every((copy) => copy.text() === stored), { timeoutMs: 15_000, what: "live copies to converge" }).catch(() => undefined);
    for (const copy of live) {
      expect([...acked].filter((m) => !copy.text().includes(m)), `acknowledged edits missing from ${copy.name}`).toEqual([]);
      expect(copy.text(), copy.name).toBe(stored);
    }
    // Every client that syncs sees the same text.
    for (const client of [viaRestarted, ...writers]) {
      const replica = await rawReplica(client, ref);
      expect(replica.text()).toBe(stored);
    }
  });
});
