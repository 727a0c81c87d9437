import WebSocket from "ws";
import type { LaunchRequest, Launcher } from "@cohort/loadtest";
import { createCohortClient, type CohortClient } from "@cohort/sdk";
import type { StartedApp } from "./test-app.js";

/** A launcher that starts nothing and hands the test its requests (and so the test token). */
export function fakeLauncher() {
  const requests: LaunchRequest[] = [];
  const stopped: string[] = [];
  const launcher: Launcher = {
    async launch(request) {
      requests.push(request);
      return request.testers.map((t) => ({ testerId: t.testerId, handle: `fake:${request.testId}:${t.testerId}` }));
    },
    async stop(handles) {
      stopped.push(...handles);
    },
  };
  return { launcher, requests, stopped };
}

/** Swaps the server's local launcher for the duration of `work`. */
export async function withLauncher<T>(server: StartedApp, launcher: Launcher, work: () => Promise<T>): Promise<T> {
  const launchers = server.app.deps.launchers ?? {};
  server.app.deps.launchers = launchers;
  const original = launchers.local;
  launchers.local = launcher;
  try {
    return await work();
  } finally {
    launchers.local = original;
  }
}

const testerClients = new Set<CohortClient>();

/** Connects as a test's tester process (test token, no account). */
export function connectTester(wsUrl: string, testId: number, testToken: string): CohortClient {
  const client = createCohortClient({ url: wsUrl, tester: { testId, testToken }, WebSocket, retryDelayMs: () => 100 });
  testerClients.add(client);
  return client;
}

export async function closeTesterClients() {
  await Promise.all([...testerClients].map((c) => c.close()));
  testerClients.clear();
}

/** POSTs a tester report body as a tester would. */
export async function postReport(url: string, { testId, testerId, token, body }: { testId: number; testerId: string; token: string; body: Uint8Array }) {
  const response = await fetch(`${url}/testers/report?testId=${testId}&testerId=${testerId}`, {
    method: "POST",
    headers: { "content-type": "application/gzip", "x-test-token": token },
    body,
  });
  return { status: response.status, body: (await response.json()) as { reportKey?: string; error?: { appCode?: string; message?: string } } };
}
