import type { SystemName } from "../driver/protocol.js";
import type { MicroResult } from "../micro/storage-micro.js";
import type { BenchPlan } from "../scenarios/plan.js";
import type { RunResult } from "../scenarios/run-result.js";
import type { ProfileSummary } from "./cpu-profile.js";
import type { MachineInfo } from "./machine.js";

export interface TargetCheck {
  target: string;
  actual: string;
  met: boolean | "n/a";
}

/** Everything one `npm run bench` produced; written as bench/results/<date>.json. */
export interface BenchResults {
  runId: string;
  startedAt: string;
  finishedAt: string;
  mode: "quick" | "full";
  args: string[];
  machine: MachineInfo;
  systems: SystemName[];
  plan: BenchPlan;
  runs: RunResult[];
  saturation: Partial<Record<SystemName, { deliveriesPerSec: number; limitedBy: string }>>;
  micro: MicroResult[];
  /** One profile per scenario: of the least disturbed attempt. */
  profiles: { scenario: string; summary: ProfileSummary; othersPct?: number | undefined }[];
  targets: TargetCheck[];
  failures: { scenario: string; system: SystemName | "micro"; error: string }[];
}
