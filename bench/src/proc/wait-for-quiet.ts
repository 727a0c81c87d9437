import os from "node:os";
import { watchMachine } from "./proc-stats.js";

/**
 * The machine is shared (other sessions build and test on it): before a run, wait until what
 * the rest of the machine uses, sampled over 2 s windows, stays under `maxPct` % of a core —
 * at most `maxWaitMs`. Returns the last measured load and whether it was quiet.
 */
export async function waitForQuiet({ maxPct = 25, maxWaitMs = 60_000 }: { maxPct?: number; maxWaitMs?: number } = {}): Promise<{ busyPct: number; quiet: boolean; waitedMs: number }> {
  const started = Date.now();
  let busyPct = 0;
  for (let i = 0; i < 1_000; i++) {
    const machine = watchMachine(os.cpus().length);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    busyPct = machine.stop();
    if (busyPct <= maxPct) return { busyPct, quiet: true, waitedMs: Date.now() - started };
    if (Date.now() - started >= maxWaitMs) break;
  }
  return { busyPct, quiet: false, waitedMs: Date.now() - started };
}
