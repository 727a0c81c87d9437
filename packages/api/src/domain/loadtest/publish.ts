import type { Deps } from "../../context.js";
import { loadTestTopics } from "./topics.js";
import { testerIdOf } from "./tester-ids.js";
import type { LoadTestStateName, TesterStateName } from "./view.js";

/** Events of `loadtest.watch` (besides its first snapshot). */
export type LoadTestEvent =
  | { type: "tester"; testerId: string; state: TesterStateName; error: string | null }
  | { type: "test"; state: LoadTestStateName; startAt: number | null; endAt: number | null; error: string | null }
  | LoadTestProgressEvent;

/** One tester's figures of one wall-clock second (histograms: encoded HDR, µs). */
export interface LoadTestProgressEvent {
  type: "progress";
  testerId: string;
  second: number;
  histograms: Record<string, string>;
  counters: { sent: number; acked: number; errors: number; delivered: number };
  process: { cpuPct: number; lagP99Ms: number } | null;
}

type Publisher = Pick<Deps, "events" | "logger">;

/** State changes are announced best-effort: watchers re-read the row on reconnect anyway. */
async function publish(deps: Publisher, topic: string, event: object): Promise<void> {
  await deps.events.append(topic, event).catch((error: unknown) => deps.logger.warn({ err: error, topic }, "load-test event was not published"));
}

export function publishTester(deps: Publisher, testId: number, tester: { index: number; state: string; error?: string | null }): Promise<void> {
  const event: LoadTestEvent = {
    type: "tester",
    testerId: testerIdOf(tester.index),
    state: tester.state.toLowerCase() as TesterStateName,
    error: tester.error ?? null,
  };
  return publish(deps, loadTestTopics.events(testId), event);
}

export function publishTest(
  deps: Publisher,
  test: { id: number; state: string; startAt: Date | null; endAt: Date | null; error: string | null },
): Promise<void> {
  const event: LoadTestEvent = {
    type: "test",
    state: test.state.toLowerCase() as LoadTestStateName,
    startAt: test.startAt?.getTime() ?? null,
    endAt: test.endAt?.getTime() ?? null,
    error: test.error,
  };
  return Promise.all([publish(deps, loadTestTopics.events(test.id), event), ringControl(deps, test.id)]).then(() => undefined);
}

/** Wakes every tester.awaitStart of the test so it re-reads the row. */
export function ringControl(deps: Publisher, testId: number): Promise<void> {
  return publish(deps, loadTestTopics.control(testId), { type: "changed" });
}

export function publishProgress(deps: Publisher, testId: number, progress: Omit<LoadTestProgressEvent, "type">): Promise<void> {
  return publish(deps, loadTestTopics.events(testId), { type: "progress", ...progress });
}
