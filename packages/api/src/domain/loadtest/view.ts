import type { LoadTestModel, TesterModel } from "@cohort/db";
import { testerIdOf } from "./tester-ids.js";

export type LoadTestStateName = "created" | "launching" | "running" | "done" | "stopped" | "failed";
export type TesterStateName = "launching" | "pending" | "running" | "done" | "failed";

export interface TesterView {
  testerId: string;
  index: number;
  clients: number;
  /** launching: started, not ready yet · pending: ready, waiting for the start · running · done: report stored · failed */
  state: TesterStateName;
  error: string | null;
  /** Launcher handle: `local:<pid>` or an ECS task ARN. */
  handle: string | null;
  registeredAt: string | null;
  reportKey: string | null;
}

export interface LoadTestView {
  id: number;
  lessonId: number;
  serverUrl: string;
  clients: number;
  clientsPerTester: number;
  targetParticipantId: number | null;
  launcher: "local" | "ecs";
  scenario: { ratePerClient: number; weights: Record<string, number> };
  durationSec: number;
  state: LoadTestStateName;
  /** Epoch ms of the common start and the (possibly extended) end; null before the start is set. */
  startAt: number | null;
  endAt: number | null;
  launchedAt: number | null;
  stoppedAt: number | null;
  /** Testers not ready this long after the launch are failed (the test starts without them). */
  registerTimeoutMs: number;
  /** Testers whose report has not come this long after the end are failed. */
  reportGraceMs: number;
  error: string | null;
  createdAt: string;
  testers: TesterView[];
}

export type LoadTestRow = LoadTestModel & { testers: TesterModel[] };

export function testerHandle(tester: Pick<TesterModel, "pid" | "taskArn">): string | null {
  if (tester.taskArn) return tester.taskArn;
  return tester.pid === null ? null : `local:${tester.pid}`;
}

export function testerView(tester: TesterModel): TesterView {
  return {
    testerId: testerIdOf(tester.index),
    index: tester.index,
    clients: tester.clients,
    state: tester.state.toLowerCase() as TesterStateName,
    error: tester.error,
    handle: testerHandle(tester),
    registeredAt: tester.registeredAt?.toISOString() ?? null,
    reportKey: tester.reportKey,
  };
}

export function loadTestView(row: LoadTestRow): LoadTestView {
  return {
    id: row.id,
    lessonId: row.lessonId,
    serverUrl: row.serverUrl,
    clients: row.clients,
    clientsPerTester: row.clientsPerTester,
    targetParticipantId: row.targetParticipantId,
    launcher: row.launcher as "local" | "ecs",
    scenario: row.scenario as LoadTestView["scenario"],
    durationSec: row.durationSec,
    state: row.state.toLowerCase() as LoadTestStateName,
    startAt: row.startAt?.getTime() ?? null,
    endAt: row.endAt?.getTime() ?? null,
    launchedAt: row.launchedAt?.getTime() ?? null,
    stoppedAt: row.stoppedAt?.getTime() ?? null,
    registerTimeoutMs: row.registerTimeoutMs,
    reportGraceMs: row.reportGraceMs,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    testers: [...row.testers].sort((a, b) => a.index - b.index).map(testerView),
  };
}
