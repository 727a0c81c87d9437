import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllClients, startTestApp, type StartedApp } from "./support/test-app.js";
import { classroom, refusal, type Classroom } from "./support/classroom.js";
import { testDb } from "./support/test-db.js";
import { waitFor } from "./support/wait-for.js";

const TTL_MS = 300;
let app: StartedApp;
let room: Classroom;

beforeAll(async () => {
  app = await startTestApp({ ACCESS_CACHE_TTL_MS: String(TTL_MS) });
  room = await classroom(app.wsUrl, { students: 2, tag: "access-cache" });
});
afterAll(async () => {
  await closeAllClients();
  await app.close();
});

describe("the per-instance access cache", () => {
  it("bounds staleness by its TTL when an invalidation is missed, refreshing in the background", async () => {
    const [owner, viewer] = room.students as [Classroom["students"][0], Classroom["students"][0]];
    const ref = { lessonId: room.lessonId, ownerId: owner.participantId, path: "cached.txt" };
    await owner.client.api.files.create.mutate({ ...ref, type: "file", content: "v1" });
    await owner.client.api.project.setPermissions.mutate({ lessonId: room.lessonId, grants: [{ viewerId: viewer.participantId, permission: 4 }] });
    await expect(viewer.client.api.files.read.query(ref)).resolves.toMatchObject({ content: "v1" });

    // A revocation that never reaches the cache (written straight to the database, no invalidation).
    const db = await testDb();
    const project = await db.project.findUniqueOrThrow({ where: { lessonId_ownerId: { lessonId: room.lessonId, ownerId: owner.participantId } } });
    await db.projectGrant.update({ where: { projectId_viewerId: { projectId: project.id, viewerId: viewer.participantId } }, data: { permission: 0 } });

    // Within the TTL the cached answer stands; after it, the refresh (started by the first call
    // past the TTL, which is still answered from the cache) takes over.
    await waitFor(async () => (await refusal(viewer.client.api.files.read.query(ref)).catch(() => null))?.code === "FORBIDDEN", {
      timeoutMs: 5_000, // the bound under test: the TTL plus a refresh, with room for a loaded machine
      intervalMs: 25,
      what: "the revocation to take effect",
    });

    // Granting again through the API invalidates at once.
    await owner.client.api.project.setPermissions.mutate({ lessonId: room.lessonId, grants: [{ viewerId: viewer.participantId, permission: 4 }] });
    await expect(viewer.client.api.files.read.query(ref)).resolves.toMatchObject({ content: "v1" });
  });
});
