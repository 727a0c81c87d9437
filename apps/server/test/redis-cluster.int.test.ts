// Runs in the cluster project only, next to the convergence, presence and file suites that run
// there against the same cluster: what those suites cannot show.
import { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { topics } from "@cohort/api";
import { docKeys } from "@cohort/collab";
import { projectKeys, projectTag, RedisFileStore } from "@cohort/storage";
import { testEnv } from "@cohort/test-support";
import { parseClusterUrl } from "../src/create-redis.js";
import { startTestApp, type StartedApp } from "./support/test-app.js";

let server: StartedApp;
let cluster: Cluster;

beforeAll(async () => {
  server = await startTestApp();
  if (!(server.app.redis instanceof Cluster)) throw new Error(`not on a Redis Cluster: REDIS_URL was ${testEnv().redisUrl}`);
  cluster = server.app.redis;
});
afterAll(() => server?.close());

/** The address of the master serving `key`'s slot. */
async function masterOf(key: string): Promise<string> {
  const slot = await cluster.cluster("KEYSLOT", key);
  const ranges = await cluster.cluster("SLOTS");
  const [host, port] = ranges.find(([from, to]) => from <= slot && slot <= to)![2]!;
  return `${host}:${port}`;
}

describe("on a 3-master Redis Cluster", () => {
  it("the server's Redis is the run's own cluster: three masters serving every slot", async () => {
    expect(parseClusterUrl(testEnv().redisUrl)?.nodes).toHaveLength(3);
    const info = await cluster.cluster("INFO");
    expect(info).toContain("cluster_state:ok");
    expect(info).toContain("cluster_slots_assigned:16384");
    expect(info).toContain("cluster_size:3");
    expect(cluster.nodes("master")).toHaveLength(3);
  });

  it("keys of one project (and of one lesson) stay in one slot, spread over the masters by lesson", async () => {
    const slotOf = (key: string) => cluster.cluster("KEYSLOT", key);
    const slotsOf = async (keys: string[]) => new Set(await Promise.all(keys.map(slotOf)));
    const prefix = "cohort:";
    // The keys the app builds: a project's files and its event stream (the commit script and the
    // edit's append touch both), its live documents (same base), and the lesson-wide topics.
    const slotsOfLesson = async (lessonId: number) => {
      const files = projectKeys(prefix, { lessonId, ownerId: 1 });
      const documents = docKeys(prefix, { tag: projectTag({ lessonId, ownerId: 1 }), fileId: 1 });
      const project = await slotsOf([...Object.values(files), `${prefix}${topics.project(lessonId, 1)}`, ...documents]);
      const lesson = await slotsOf([topics.inbox(lessonId, 1), topics.inbox(lessonId, 2), topics.acl(lessonId), topics.monitor(lessonId)].map((t) => prefix + t));
      return { project, lesson };
    };
    const lessons = await Promise.all([1, 2, 3, 4, 5, 6].map(slotsOfLesson));
    for (const { project, lesson } of lessons) {
      expect(project.size).toBe(1);
      expect(lesson.size).toBe(1);
    }
    const masters = await Promise.all([1, 2, 3, 4, 5, 6].map((lessonId) => masterOf(projectKeys(prefix, { lessonId, ownerId: 1 }).meta)));
    expect(new Set(masters).size).toBeGreaterThan(1);
  });

  it("the backup worker's candidates (SCAN for loaded projects) come from every master", async () => {
    // A prefix of its own, which no server's SCAN matches: the run's servers must not take these
    // bare meta keys for projects to back up.
    const prefix = `${inject("redisPrefix")}scan-check:`;
    const store = new RedisFileStore({ redis: cluster, blobs: server.app.blobs, prefix });
    const refs = Array.from({ length: 9 }, (_, i) => ({ lessonId: i + 1, ownerId: 1 }));
    const metas = refs.map((ref) => projectKeys(prefix, ref).meta);
    try {
      await Promise.all(metas.map((key) => cluster.hset(key, "version", 1)));
      // Slots follow the hash tag alone, so these nine spread over all three masters every run.
      expect(new Set(await Promise.all(metas.map(masterOf))).size).toBe(3);
      const found = await store.listLoaded();
      expect(found.sort((a, b) => a.lessonId - b.lessonId)).toEqual(refs);
    } finally {
      await Promise.all(metas.map((key) => cluster.del(key)));
    }
  });
});
