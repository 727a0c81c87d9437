import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import WebSocket from "ws";
import { createCohortClient } from "@cohort/sdk";
import { testEnv } from "@cohort/test-support";
import { freePort } from "@cohort/test-support/free-port";
import { runStartScript, type StartScript } from "./support/start-script.js";
import { waitFor } from "./support/wait-for.js";

// npm start migrates an embedded PostgreSQL (PGlite) from scratch: slow on a busy two-core machine.
const STARTUP_MS = 240_000;

const dataDir = mkdtempSync(path.join(os.tmpdir(), "cohort-start-"));
const running = new Set<StartScript>();
afterAll(() => {
  for (const script of running) script.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start` with no DATABASE_URL, its data in a folder of its own, no console, on a free port. */
async function startCohort(redisUrl: string, name: string) {
  const port = await freePort();
  const script = runStartScript({
    DATABASE_URL: undefined,
    PGLITE_DIR: path.join(dataDir, name, "pglite"),
    BLOB_DIR: path.join(dataDir, name, "blobs"),
    REDIS_DIR: path.join(dataDir, name, "redis"),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `${inject("redisPrefix")}start-${name}:`,
    START_CONSOLE: "false",
    PORT: String(port),
    LOG_LEVEL: "warn",
  });
  running.add(script);
  return script;
}

/** Whether something answers a Redis PING at `port`. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1_000);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Waits for the printed URL and token, joins the demo lesson as its teacher, and checks the answer. */
async function joinDemoLessonAsTeacher(script: StartScript) {
  const wsUrl = (await script.waitForOutput(/API \(WebSocket\): (ws:\/\/\S+)/, STARTUP_MS))[1]!;
  const httpUrl = (await script.waitForOutput(/API \(HTTP\): +(http:\/\/\S+)\/trpc/, 1_000))[1]!;
  const lessonId = Number((await script.waitForOutput(/demo lesson: +(\d+)/, 1_000))[1]);
  const token = (await script.waitForOutput(/teacher token: +(\S+)/, 1_000))[1]!;
  // The URLs are printed while the server is still starting.
  await waitFor(() => fetch(`${httpUrl}/readyz`).then((r) => r.ok), { timeoutMs: 60_000, intervalMs: 250, what: "the server to be ready" });
  const client = createCohortClient({ url: wsUrl, token, WebSocket, retryDelayMs: () => 250 });
  try {
    const joined = await client.api.lesson.join.mutate({ lessonId });
    expect(joined.lesson.id).toBe(lessonId);
    expect(joined.participant.role).toBe("TEACHER");
  } finally {
    await client.close();
  }
}

describe("npm start", () => {
  it("runs Cohort on embedded PostgreSQL with demo data, prints a working teacher token, and stops on SIGTERM", { timeout: STARTUP_MS + 60_000 }, async () => {
    const script = await startCohort(testEnv().redisUrl, "shared-redis");
    await joinDemoLessonAsTeacher(script);
    expect(script.output).toMatch(/no DATABASE_URL: using the embedded PostgreSQL/);
    expect(script.output).not.toMatch(/started redis-server/);
    expect(script.output).not.toMatch(/console: /);
    await script.stop(); // npm itself dies of the signal; what matters is that nothing is left
    await waitFor(() => !script.groupAlive(), { timeoutMs: 15_000, what: "every process of npm start to exit" });
  });

  it("starts a redis-server of its own, with append-only data in REDIS_DIR, when none answers at REDIS_URL, and stops it", { timeout: STARTUP_MS + 60_000 }, async () => {
    const port = await freePort();
    expect(await redisAnswers(port)).toBe(false);
    const script = await startCohort(`redis://127.0.0.1:${port}`, "own-redis");
    await script.waitForOutput(new RegExp(`started redis-server for Cohort at redis://127\\.0\\.0\\.1:${port}`), 30_000);
    expect(await redisAnswers(port)).toBe(true);
    await joinDemoLessonAsTeacher(script);
    expect(existsSync(path.join(dataDir, "own-redis", "redis", "appendonlydir"))).toBe(true);
    await script.stop(); // npm itself dies of the signal; what matters is that nothing is left
    await waitFor(() => !script.groupAlive(), { timeoutMs: 15_000, what: "every process of npm start to exit" });
    expect(await redisAnswers(port)).toBe(false);
  });
});
