import WebSocket from "ws";
import { createCohortClient } from "@cohort/sdk";
import type { Db } from "@cohort/db";
import type { ClientSpec } from "../driver/protocol.js";
import { spawnCohortServer, type CohortServerOptions } from "../cohort/cohort-server.js";
import { seedLesson, type Member, type SeededLesson } from "../cohort/seed.js";
import type { PreparedRun, SystemUnderTest, Topology } from "./topology.js";

const READ_WRITE = 6;

export interface CohortSystemOptions extends CohortServerOptions {
  db: Db;
  /** Lesson template key (join storm); the zip must already be in the blob store. */
  templateKey?: string;
  /** Idle scenarios reuse this many accounts for many connections (seeding thousands takes long). */
  maxAccounts?: number;
}

/** Runs `work` over items, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

/**
 * Cohort in its own process on the run's fresh database. `prepare` seeds a lesson, then, as each
 * room's owner through the SDK, joins the lesson, creates the files clients will edit and grants
 * WRITE to the other senders — what a class does before it starts typing.
 */
export async function startCohort(options: CohortSystemOptions): Promise<SystemUnderTest> {
  const server = await spawnCohortServer(options);
  const connect = (token: string) => createCohortClient({ url: server.wsUrl, token, WebSocket, retryDelayMs: () => 500 });

  const setUpRoom = async (owner: Member, input: { lessonId: number; files: string[]; writers: number[] }) => {
    const client = connect(owner.token);
    try {
      await client.api.lesson.join.mutate({ lessonId: input.lessonId });
      await eachLimited(input.files, 20, async (path) => {
        await client.api.files.create.mutate({ lessonId: input.lessonId, ownerId: owner.participantId, path, type: "file", content: "" });
      });
      for (let i = 0; i < input.writers.length; i += 500) {
        const grants = input.writers.slice(i, i + 500).map((viewerId) => ({ viewerId, permission: READ_WRITE }));
        await client.api.project.setPermissions.mutate({ lessonId: input.lessonId, grants });
      }
    } finally {
      await client.close();
    }
  };

  const prepare = async (topology: Topology): Promise<PreparedRun> => {
    const studentCount = topology.clients.filter((c) => c.role === "student").length;
    const accounts = Math.min(studentCount, options.maxAccounts ?? studentCount);
    const lesson: SeededLesson = await seedLesson(options.db, { students: Math.max(1, accounts) });
    // Student clients take the seeded students in order (cycling when accounts are fewer).
    let nextStudent = 0;
    const members = topology.clients.map((c) => (c.role === "teacher" ? lesson.teacher : lesson.students[nextStudent++ % lesson.students.length]!));
    const ownerOf = (owner: "teacher" | number) => (owner === "teacher" ? lesson.teacher : members[owner]!);
    await eachLimited(topology.rooms, 8, async (room) => {
      const owner = ownerOf(room.owner);
      const senders = topology.clients.map((c, i) => ({ c, m: members[i]! })).filter(({ c }) => c.send?.room === room.name);
      await setUpRoom(owner, {
        lessonId: lesson.lessonId,
        files: [...new Set(senders.map(({ c }) => c.send!.file))],
        writers: [...new Set(senders.map(({ m }) => m.participantId).filter((id) => id !== owner.participantId && id !== lesson.teacher.participantId))],
      });
    });
    const roomId = new Map(topology.rooms.map((room) => [room.name, `${lesson.lessonId}:${ownerOf(room.owner).participantId}`]));
    const clients: ClientSpec[] = topology.clients.map((client, index) => ({
      index,
      token: members[index]!.token,
      watch: client.watch.map((room) => roomId.get(room)!),
      send: client.send ? { room: roomId.get(client.send.room)!, file: client.send.file } : undefined,
    }));
    return { clients, lessonId: lesson.lessonId };
  };

  return {
    name: "cohort",
    pid: server.pid,
    spawnedAt: server.spawnedAt,
    memory: () => server.memory(),
    url: server.wsUrl,
    metricsUrl: `${server.url}/metrics`,
    prepare,
    async prepareJoin(count) {
      const lesson = await seedLesson(options.db, { students: count, templateKey: options.templateKey ?? null });
      return { lessonId: lesson.lessonId, clients: lesson.students.map((s, index) => ({ index, token: s.token, watch: [] })) };
    },
    stop: () => server.stop(),
  };
}
