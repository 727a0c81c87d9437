import { afterAll, describe, expect, it } from "vitest";
import type { LiveDocument } from "@cohort/sdk";
import { testEnv } from "@cohort/test-support";
import { closeAllClients, startTestApp, tokenFor, type StartedApp } from "./support/test-app.js";
import { classroom, refusal } from "./support/classroom.js";
import { startRedisProcess } from "./support/redis-process.js";
import { startTcpProxy } from "@cohort/test-support/tcp-proxy";
import { figureLine } from "./support/figure-line.js";
import { waitFor } from "./support/wait-for.js";

const figure = figureLine("faults");
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await closeAllClients();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const ready = async (app: StartedApp) => (await fetch(`${app.url}/readyz`)).status;

describe("faults", () => {
  it("Redis restarts during traffic: not ready while it is away, then everything resumes and nothing acknowledged is lost", async () => {
    const redis = await startRedisProcess();
    cleanups.push(() => redis.stop());
    const env = { REDIS_URL: redis.url, BACKUP_WORKER: "false" };
    const [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
    cleanups.push(() => a.close(), () => b.close());
    const room = await classroom([a.wsUrl, b.wsUrl], { students: 3, tag: "redis-restart" });
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "work.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "" });
    await owner.client.api.project.setPermissions.mutate({ lessonId: room.lessonId, grants: room.students.slice(1).map((s) => ({ viewerId: s.participantId, permission: 6 })) });
    const editors = [owner, ...room.students.slice(1)];
    const docs: LiveDocument[] = await Promise.all(editors.map((m) => m.client.openFile(ref)));
    const typed: string[] = [];
    let stop = false;
    let peakQueued = 0;
    const typing = (async () => {
      for (let i = 0; !stop; i++) {
        const marker = `<${i % docs.length}.${i}>`;
        docs[i % docs.length]!.insert(docs[i % docs.length]!.text.length, marker);
        typed.push(marker);
        peakQueued = Math.max(peakQueued, docs.reduce((sum, d) => sum + d.pendingUpdates, 0));
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    await waitFor(() => typed.length > 30, { what: "typing under way" });
    const killedAt = Date.now();
    const typedAtKill = typed.length;
    await redis.kill();
    await waitFor(async () => (await ready(a)) === 503 && (await ready(b)) === 503, { timeoutMs: 10_000, what: "both instances not ready" });
    // Calls fail with a clear error while Redis is away (no hang, no stack trace), naming Redis.
    const error = await refusal(room.teacher.client.api.files.list.query({ lessonId: ref.lessonId, ownerId: ref.ownerId }));
    expect(error).toEqual({ code: "INTERNAL_SERVER_ERROR", appCode: "UNAVAILABLE", message: "Redis is unavailable, try again" });
    await new Promise((r) => setTimeout(r, 500));
    await redis.start();
    const restartedAt = Date.now();
    await waitFor(async () => (await ready(a)) === 200 && (await ready(b)) === 200, { timeoutMs: 15_000, what: "both instances ready again" });
    const readyAt = Date.now();
    const typedUntilReady = typed.length;
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await typing;
    await waitFor(() => docs.every((d) => d.pendingUpdates === 0), { timeoutMs: 20_000, what: "queued edits flushed" });
    const flushedAt = Date.now();
    const stored = (await owner.client.api.files.read.query(ref)).content;
    const lost = typed.filter((m) => !stored.includes(m));
    figure(
      `Redis restart: ${typed.length} markers typed by ${docs.length} editors (${typedUntilReady - typedAtKill} between the kill and both instances ready), peak ${peakQueued} edits queued, ${lost.length} missing from storage; Redis away ${restartedAt - killedAt} ms, both ready ${readyAt - killedAt} ms after the kill, queues flushed ${flushedAt - readyAt} ms after that`,
    );
    // Every marker typed (acknowledged or queued through the outage) reached storage.
    expect(lost).toEqual([]);
    await waitFor(() => docs.every((d) => d.toString() === stored), { timeoutMs: 10_000, what: "every client converges" });
    docs.forEach((d) => d.close());
  });

  it("PostgreSQL unreachable: joins and Q&A fail clearly, open files stay editable, and it recovers by itself", async () => {
    const target = new URL(testEnv().databaseUrl);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(testEnv().databaseUrl);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const app = await startTestApp({ DATABASE_URL: viaProxy.toString(), BACKUP_WORKER: "false", ACCESS_CACHE_TTL_MS: "2000" });
    cleanups.push(() => app.close());
    const room = await classroom(app.wsUrl, { students: 2, tag: "pg-down" });
    const owner = room.students[0]!;
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "open.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "before\n" });
    const doc = await owner.client.openFile(ref);

    proxy.block();
    const blockedAt = Date.now();
    await waitFor(async () => (await ready(app)) === 503, { timeoutMs: 10_000, what: "not ready" });
    const notReadyAt = Date.now();
    // Both name the database, and nothing of the driver (host, port, SQL).
    const unavailable = { code: "INTERNAL_SERVER_ERROR", appCode: "UNAVAILABLE", message: "The database (PostgreSQL) is unavailable, try again" };
    expect(await refusal(room.students[1]!.client.api.lesson.join.mutate({ lessonId: room.lessonId }))).toEqual(unavailable);
    expect(await refusal(owner.client.api.qna.list.query({ lessonId: room.lessonId }))).toEqual(unavailable);
    // The zip download says the same, as a status a client retries.
    const zip = await fetch(`${app.url}/projects/${ref.lessonId}/${ref.ownerId}.zip`, { headers: { authorization: `Bearer ${await tokenFor(owner.userId)}` } });
    expect([zip.status, await zip.json()]).toEqual([503, { error: { code: "UNAVAILABLE", message: unavailable.message } }]);
    // Live editing of the open file continues, past the permission cache's TTL.
    await new Promise((r) => setTimeout(r, 2_500));
    doc.insert(doc.text.length, "during outage\n");
    await doc.flush();
    expect(doc.pendingUpdates).toBe(0);
    expect((await owner.client.api.files.read.query(ref)).content).toBe("before\nduring outage\n");

    proxy.unblock();
    const unblockedAt = Date.now();
    await waitFor(async () => (await ready(app)) === 200, { timeoutMs: 15_000, what: "ready again" });
    const readyAt = Date.now();
    await waitFor(() => room.students[1]!.client.api.lesson.join.mutate({ lessonId: room.lessonId }).then(() => true), { timeoutMs: 15_000, what: "joins work again" });
    const joinsAt = Date.now();
    await expect(owner.client.api.qna.list.query({ lessonId: room.lessonId })).resolves.toEqual([]);
    doc.close();
    figure(
      `PostgreSQL cut for ${unblockedAt - blockedAt} ms: not ready within ${notReadyAt - blockedAt} ms, 1 edit made and stored meanwhile; ready again ${readyAt - unblockedAt} ms and joining ${joinsAt - unblockedAt} ms after it returned`,
    );
  });
});
