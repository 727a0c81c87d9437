import { describe, expect, it } from "vitest";
import type { Db } from "@cohort/db";
import type { EventLogPort, LogItem } from "../ports.js";
import { AccessCache } from "./access-cache.js";
import { ALL } from "./permission-bits.js";
import type { ProjectAccess } from "./project-access.js";

/** An event log whose topics stay silent until the subscriber stops listening. */
const silentEvents: EventLogPort = {
  append: async () => "0-1",
  appendTarget: (topic) => ({ key: topic, channel: `${topic}:ch`, maxLen: 1_000, maxAgeMs: 0 }),
  subscribe(_topic, { signal }) {
    async function* silent(): AsyncGenerator<LogItem> {
      await new Promise((resolve) => signal?.addEventListener("abort", resolve, { once: true }));
      yield* [];
    }
    const ended = () => new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
    return Object.assign(silent(), { ready: async () => undefined, takeBuffered: () => undefined, pipe: ended });
  },
};

/** A database that must not be asked. */
const untouchable = new Proxy(
  {},
  {
    get: (_target, model) => {
      throw new Error(`the database was asked (${String(model)})`);
    },
  },
) as Db;

const own: ProjectAccess = {
  lesson: { id: 1, courseId: 9, templateKey: null },
  viewer: { id: 5, nickname: "ada", role: "STUDENT" },
  owner: { id: 5, nickname: "ada", role: "STUDENT" },
  permission: ALL,
  projectId: 77,
};

describe("AccessCache.prime", () => {
  it("answers from what it was given, without the database, until the lesson's grants change", async () => {
    const cache = new AccessCache({ db: untouchable, events: silentEvents });
    const key = { lessonId: 1, ownerId: 5, userId: 50 };
    cache.prime(key, own);
    expect(await cache.get(key)).toBe(own);
    cache.invalidateLesson(1);
    await expect(cache.get(key)).rejects.toThrow(/database was asked/);
    cache.close();
  });
});
