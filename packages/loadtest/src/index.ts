export {
  DEFAULT_RATE_PER_CLIENT,
  DEFAULT_WEIGHTS,
  defaultScenario,
  EVENT_KINDS,
  MAX_RATE_PER_CLIENT,
  zScenario,
  zWeights,
  type EventKind,
  type Scenario,
  type ScenarioInput,
} from "./scenario.js";
export { createSchedule, type Arrival, type Schedule, type ScheduledEvent, type ScheduleOptions } from "./schedule.js";
export { createRandom, seedFrom, type Random } from "./random.js";

export {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  HIGHEST_LATENCY_US,
  HistogramDecodeError,
  LATENCY_SIGNIFICANT_DIGITS,
  LOWEST_LATENCY_US,
  mergeHistograms,
  type Histogram,
} from "./stats/latency-histogram.js";
export { DEFAULT_PERCENTILES, percentiles } from "./stats/percentiles.js";
export { linearSlope } from "./stats/linear-slope.js";
export { addCounters, createCounters, zCounters, zKindCounters, type Counters, type KindCounters } from "./stats/counters.js";
export { DeliveryTracker, type DeliveryOutcome, type DeliverySummary, type SentBySender } from "./stats/delivery-tracker.js";
export { MAX_TRACE_SAMPLES, TraceSampler, zTraceSample, type TraceSample, type TraceSamplerOptions } from "./stats/trace-sampler.js";
export {
  deliveryKey,
  TesterStats,
  testerStatsDefaults,
  type ClosedSecond,
  type EncodedHistograms,
  type TesterStatsOptions,
} from "./stats/tester-stats.js";
export { mergeReports, type MergedReport } from "./stats/merge-reports.js";
export { findP99Violations, summarizeLatency, type LatencySummary } from "./stats/summarize-latency.js";

export {
  createProcessMonitor,
  evaluateSaturation,
  saturationDefaults,
  zProcessStats,
  type ProcessMonitor,
  type ProcessMonitorOptions,
  type ProcessSample,
  type ProcessStats,
  type SaturationThresholds,
} from "./process-monitor.js";
export { decodeReport, encodeReport, ReportDecodeError, zTesterReport, type TesterReport } from "./report.js";
export { renderResultsTable, type ResultsTableOptions } from "./cli-table.js";

export { assertLaunchRequest, type LaunchedTester, type Launcher, type LaunchRequest, type TesterSpec } from "./launchers/launcher.js";
export {
  parseTesterEnvironment,
  TESTER_ENV,
  testerEnvironment,
  type TesterConfig,
  type TesterEnvironmentInput,
} from "./launchers/tester-environment.js";
export { LocalLauncher, localLauncherDefaults, type LocalLauncherOptions, type TesterExit } from "./launchers/local-launcher.js";
export {
  batchTesters,
  EcsLauncher,
  EcsLaunchError,
  MAX_TASKS_PER_RUN_TASK,
  type EcsFailure,
  type EcsLauncherOptions,
} from "./launchers/ecs-launcher.js";

export {
  defaultErrorCode,
  VirtualClient,
  type ActionContext,
  type Actions,
  type SendOptions,
  type SendOutcome,
  type VirtualClientOptions,
} from "./virtual-client.js";
export { createTester, type SecondTick, type Tester, type TesterOptions } from "./tester.js";

export { withMovableEnd } from "./movable-end-schedule.js";
export { createSdkActions, type SdkActionsOptions } from "./sdk-actions.js";
export { VirtualSession, type Delivery, type TesterAccount, type VirtualSessionOptions } from "./virtual-session.js";
export { runTester, type RunTesterOptions, type RunTesterResult } from "./run-tester.js";
export { ReportUploadError, reportUrl, uploadReport, type UploadReportOptions } from "./upload-report.js";
