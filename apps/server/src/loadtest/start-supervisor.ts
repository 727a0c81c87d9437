import { superviseLoadTests, type Deps } from "@cohort/api";

/**
 * Runs the load-test supervision pass every `everyMs` on this instance (each instance runs it; its
 * steps are conditional updates). A pass never overlaps the previous one.
 */
export function startLoadTestSupervisor({ deps, everyMs }: { deps: Deps; everyMs: number }) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    superviseLoadTests(deps)
      .catch((error: unknown) => deps.logger.warn({ err: error }, "load-test supervision failed"))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
