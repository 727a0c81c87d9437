// Event-log topics of one load test, under one Redis Cluster hash tag.

export const loadTestTopics = {
  /** Tester and test state changes and live per-second figures (loadtest.watch). */
  events: (testId: number) => `{lt:${testId}}:events`,
  /**
   * Doorbell for testers (tester.awaitStart): start, extend and stop are announced here, but the
   * database row stays the truth that each ring makes the subscription re-read.
   */
  control: (testId: number) => `{lt:${testId}}:control`,
};

/** Blob-store keys of a test's reports. */
export const loadTestBlobs = {
  prefix: (testId: number) => `loadtests/${testId}/`,
  report: (testId: number, testerId: string) => `loadtests/${testId}/reports/${testerId}.json.gz`,
};
