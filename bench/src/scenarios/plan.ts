import type { TrafficSpec } from "../driver/protocol.js";

export const SCENARIOS = ["fanout-50", "fanout-100", "fanout-200", "classroom", "saturation", "join-storm", "idle-memory", "micro"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Durations and sizes of a full run and of the ~1-minute `--quick` run. */
export function benchPlan(quick: boolean) {
  return {
    scenarios: (quick ? ["fanout-50", "saturation"] : SCENARIOS) as readonly ScenarioName[],
    fanout: { durationMs: quick ? 5_000 : 30_000, ratePerClient: 2 },
    classroom: { students: 60, pairs: 3, durationMs: quick ? 6_000 : 30_000, ratePerClient: 10 },
    saturation: {
      clients: quick ? 50 : 100,
      stepMs: quick ? 3_000 : 10_000,
      /** Target deliveries/s of each step (rate per client = target / (clients × (clients − 1))). */
      targets: quick ? [20_000, 80_000] : [10_000, 20_000, 40_000, 60_000, 80_000, 100_000, 125_000, 150_000, 200_000, 250_000],
      maxP99Ms: 50,
    },
    joinStorm: { clients: 200, files: 200, bytesPerFile: 2_000 },
    idle: { clients: quick ? 500 : 2_000, phases: 4, settleMs: quick ? 2_000 : 5_000, cohortAccounts: 200 },
    micro: {
      templateFiles: 2_000,
      templateBytes: 20 * 1024 * 1024,
      listFiles: 5_000,
      listCalls: quick ? 50 : 300,
      qnaThreads: 2_000,
      qnaComments: 10_000,
      qnaCalls: quick ? 50 : 1_000,
      /** Walks through every page of the lesson (qna.list with the default limit). */
      qnaWalks: quick ? 2 : 10,
    },
    drainMs: quick ? 2_000 : 5_000,
  };
}

export type BenchPlan = ReturnType<typeof benchPlan>;

export function traffic(input: Omit<TrafficSpec, "seed" | "arrival"> & Partial<Pick<TrafficSpec, "seed" | "arrival">>): TrafficSpec {
  return { seed: 7, arrival: "poisson", ...input };
}
