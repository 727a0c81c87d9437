import type { Deps } from "../../context.js";
import { finishTestIfComplete } from "./finish-test.js";
import { publishTester } from "./publish.js";

/**
 * A local tester process ended. A tester reports before it exits, so one that is not done by now
 * never will: it is failed at once (rather than at its report deadline), with how it ended.
 */
export async function testerProcessExited(deps: Deps, exit: { handle: string; code: number | null; signal: string | null }): Promise<void> {
  const pid = /^local:(\d+)$/.exec(exit.handle)?.[1];
  if (!pid) return;
  const tester = await deps.db.tester.findFirst({
    where: { pid: Number(pid), state: { in: ["LAUNCHING", "PENDING", "RUNNING"] }, loadTest: { state: { in: ["LAUNCHING", "RUNNING"] } } },
    orderBy: { id: "desc" },
    select: { id: true, index: true, loadTestId: true },
  });
  if (!tester) return;
  const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
  const error = `The tester process ${how} without a report`;
  const { count } = await deps.db.tester.updateMany({ where: { id: tester.id, state: { in: ["LAUNCHING", "PENDING", "RUNNING"] } }, data: { state: "FAILED", error } });
  if (count === 0) return;
  await publishTester(deps, tester.loadTestId, { index: tester.index, state: "FAILED", error });
  await finishTestIfComplete(deps, tester.loadTestId);
}
