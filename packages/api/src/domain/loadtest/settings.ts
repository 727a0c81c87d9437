/**
 * Timings of load tests; apps/server sets them from its environment. The registration timeout and
 * the report grace are copied onto each test when it is created, so every instance applies the
 * same deadlines to it.
 */
export interface LoadTestSettings {
  /**
   * Testers that have not registered (and got ready) this long after the launch are marked
   * failed, and the test starts with the others. ECS tasks take tens of seconds to start.
   * @default 120_000
   */
  registerTimeoutMs: number;
  /**
   * A tester's report must arrive within this long after the test's end, or the tester is marked
   * failed (never silently left out of the results).
   * @default 60_000
   */
  reportGraceMs: number;
  /**
   * The common start time is set this far ahead of the moment the last tester got ready, so that
   * every tester hears of it before it comes.
   * @default 2_000
   */
  startLeadMs: number;
  /**
   * Longest test, extensions included.
   * @default 14_400
   */
  maxTotalDurationSec: number;
}

export const loadTestSettingsDefaults: LoadTestSettings = {
  registerTimeoutMs: 120_000,
  reportGraceMs: 60_000,
  startLeadMs: 2_000,
  maxTotalDurationSec: 14_400,
};

export function loadTestSettings(partial: Partial<LoadTestSettings> | undefined): LoadTestSettings {
  return { ...loadTestSettingsDefaults, ...partial };
}
