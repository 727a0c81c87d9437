import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import WebSocket from "ws";
import { createCohortClient, type CohortClient } from "@cohort/sdk";
import { signUserToken } from "@cohort/api";
import { testEnv } from "@cohort/test-support";
import { createApp, type CohortApp } from "../../src/create-app.js";
import { readServerEnv } from "../../src/env.js";

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-0123456789";
export const TEST_ADMIN_KEY = "test-admin-key-0123456789";

export interface StartedApp {
  app: CohortApp;
  url: string;
  wsUrl: string;
  close(options?: { graceful?: boolean }): Promise<void>;
}

/** Starts a real Cohort server on port 0 against this machine's Redis and PostgreSQL. */
export async function startTestApp(overrides: Record<string, string> = {}, { port = 0 }: { port?: number } = {}): Promise<StartedApp> {
  const env = testEnv();
  const app = await createApp(
    readServerEnv({
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      REDIS_KEY_PREFIX: inject("redisPrefix"),
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_KEY: TEST_ADMIN_KEY,
      LOG_LEVEL: "silent",
      INSTANCE_ID: `test-${Math.random().toString(36).slice(2, 8)}`,
      BLOB_DIR: sharedBlobDir(),
      // Every server of a run shares the key prefix, so their scheduled backup runs would take
      // turns on one lock over every file's projects; tests run the worker themselves.
      BACKUP_INTERVAL_MS: "3600000",
      ...overrides,
    }),
  );
  startedApps.push(app);
  const { url, wsUrl } = await app.listen(port, "127.0.0.1");
  let closed = false;
  return {
    app,
    url,
    wsUrl,
    async close(options) {
      if (closed) return;
      closed = true;
      await app.close(options);
    },
  };
}

const startedApps: CohortApp[] = [];

/** Every app this test file started, closed or not. */
export function appsStarted(): readonly CohortApp[] {
  return startedApps;
}

export function tokenFor(userId: number, options: { expiresInSec?: number } = {}) {
  return signUserToken({ secret: TEST_JWT_SECRET, userId, ...options });
}

const openClients = new Set<CohortClient>();

export async function connectUser(wsUrl: string | string[], userId: number): Promise<CohortClient> {
  const client = createCohortClient({ url: wsUrl, token: await tokenFor(userId), WebSocket, retryDelayMs: () => 100 });
  openClients.add(client);
  return client;
}

export function connectAdmin(wsUrl: string): CohortClient {
  const client = createCohortClient({ url: wsUrl, adminKey: TEST_ADMIN_KEY, WebSocket, retryDelayMs: () => 100 });
  openClients.add(client);
  return client;
}

export async function closeAllClients() {
  await Promise.all([...openClients].map((c) => c.close()));
  openClients.clear();
}

let blobDir: string | undefined;
/** One blob folder per test file, shared by its instances (as S3 would be). */
export function sharedBlobDir(): string {
  blobDir ??= mkdtempSync(path.join(os.tmpdir(), "cohort-blobs-"));
  return blobDir;
}
