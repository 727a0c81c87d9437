import type { Deps } from "../../context.js";
import { publishTester } from "./publish.js";

/**
 * Marks the test's testers that are still in one of `states` as failed with a reason the admin
 * will see. Conditional, so a tester that reported meanwhile keeps its report.
 */
export async function failTesters(
  deps: Pick<Deps, "db" | "events" | "logger">,
  { testId, states, error, indexes }: { testId: number; states: ("LAUNCHING" | "PENDING" | "RUNNING")[]; error: string; indexes?: number[] },
): Promise<number> {
  const where = { loadTestId: testId, state: { in: states }, ...(indexes ? { index: { in: indexes } } : {}) };
  const doomed = await deps.db.tester.findMany({ where, select: { id: true, index: true } });
  if (doomed.length === 0) return 0;
  let failed = 0;
  for (const tester of doomed) {
    const { count } = await deps.db.tester.updateMany({ where: { id: tester.id, state: { in: states } }, data: { state: "FAILED", error } });
    if (count === 0) continue;
    failed++;
    await publishTester(deps, testId, { index: tester.index, state: "FAILED", error });
  }
  return failed;
}
