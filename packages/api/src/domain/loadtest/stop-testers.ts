import type { Deps } from "../../context.js";
import { testerHandle, type LoadTestRow } from "./view.js";

/**
 * Asks the launcher to stop the test's tester processes, in the background. Testers normally exit
 * by themselves once they reported; this ends stragglers (and ECS tasks, which cost money). A
 * local launcher ignores handles it did not start, i.e. those of another server instance.
 */
export function stopTesters(deps: Pick<Deps, "launchers" | "logger">, test: Pick<LoadTestRow, "id" | "launcher" | "testers">, only?: (tester: LoadTestRow["testers"][number]) => boolean): void {
  const launcher = deps.launchers?.[test.launcher as "local" | "ecs"];
  const handles = test.testers.filter((t) => !only || only(t)).flatMap((t) => testerHandle(t) ?? []);
  if (!launcher || handles.length === 0) return;
  launcher.stop(handles).catch((error: unknown) => deps.logger.warn({ err: error, testId: test.id }, "could not stop every tester"));
}
