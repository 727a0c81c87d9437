import { encodeHistogram, mergeHistograms, percentiles, type Histogram } from "@cohort/loadtest";
import type { DriverReport, Kind, SystemName } from "../driver/protocol.js";
import { mapStages, type Stage } from "../driver/stages.js";
import type { ProcWindow } from "../proc/proc-stats.js";

export interface LatencySummary {
  /** Milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  count: number;
}

export interface RunResult {
  scenario: string;
  system: SystemName;
  /** A step of a ramp, e.g. "10 msg/s per client". */
  step?: string | undefined;
  clients: number;
  /** Epoch ms of the common start (the measured window is [startAt, startAt + durationMs)). */
  startAt?: number | undefined;
  durationMs: number;
  latency: LatencySummary;
  latencyByKind?: Record<Kind, LatencySummary> | undefined;
  /** How late the generator sent, ms (part of the latency). */
  sendLag?: LatencySummary | undefined;
  /** Cohort: where the latency goes, per delivered event, from its trace stamps (see driver/stages.ts). */
  stages?: Record<Stage, LatencySummary> | undefined;
  sent: number;
  expected: number;
  delivered: number;
  deliveriesPerSec: number;
  /** Expected − delivered for edits (and for cursor moves where the system does not coalesce them). */
  loss: number;
  /** Cursor moves replaced by a later one on purpose (Cohort's latest-wins coalescing). */
  coalesced: number;
  duplicates: number;
  unattributed: number;
  resets: number;
  sendErrors: number;
  connectFailures: number;
  server: { cpuPct: number; rssStartMb: number; rssPeakMb: number; rssEndMb: number };
  redis?: { cpuPct: number } | undefined;
  generator: { cpuPct: number; lagP99Ms: number; saturated: boolean; processes: number };
  /**
   * CPU of the whole machine during the window, and what other processes (not server, Redis or
   * generators) used, in % of one core: the machine is shared, and a busy neighbour skews a run.
   */
  machine?: { busyPct: number; othersPct: number } | undefined;
  valid: boolean;
  notes: string[];
  /** Scenario-specific figures (join storm, idle memory). */
  extra?: Record<string, number | string> | undefined;
  /** Merged latency histogram (HdrHistogram compressed base64, µs). */
  histogram?: string | undefined;
  errors?: string[] | undefined;
}

/** Above this much CPU (% of a core) used by other processes during a run, the run is flagged as noisy. */
export const NOISY_OTHERS_PCT = 25;

export function summarize(histogram: Histogram): LatencySummary {
  const [p50, p90, p99, p999, max] = percentiles(histogram, [50, 90, 99, 99.9, 100]).map((us) => round3(us / 1000));
  return { p50: p50!, p90: p90!, p99: p99!, p999: p999!, max: max!, count: histogram.totalCount };
}

/** The drivers' stage histograms merged stage by stage; undefined when no event carried stamps (every system but Cohort). */
export function mergeStages(encoded: readonly Record<Stage, string>[]): Record<Stage, LatencySummary> | undefined {
  const merged = mapStages((stage) => mergeHistograms(encoded.map((e) => e[stage])));
  // Every stamped event is recorded in every stage, so one stage's count stands for all.
  if (merged.client.totalCount === 0) return undefined;
  return mapStages((stage) => summarize(merged[stage]));
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Adds the drivers' counts and histograms into one result; marks it invalid when a generator was saturated. */
export function combineReports(input: {
  scenario: string;
  system: SystemName;
  step?: string | undefined;
  reports: DriverReport[];
  startAt: number;
  durationMs: number;
  server: ProcWindow;
  redis?: ProcWindow | undefined;
  coalescesCursors: boolean;
  machinePct?: number | undefined;
}): RunResult {
  const { reports } = input;
  const latency = mergeHistograms(reports.map((r) => r.latency));
  const byKind = {
    edit: summarize(mergeHistograms(reports.map((r) => r.latencyByKind.edit))),
    cursor: summarize(mergeHistograms(reports.map((r) => r.latencyByKind.cursor))),
  };
  const sum = (pick: (r: DriverReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
  const expected = { edit: sum((r) => r.counts.expected.edit), cursor: sum((r) => r.counts.expected.cursor) };
  const received = { edit: sum((r) => r.counts.received.edit), cursor: sum((r) => r.counts.received.cursor) };
  const cursorShort = expected.cursor - received.cursor;
  const delivered = received.edit + received.cursor;
  const generatorCpu = sum((r) => average(r.process.cpuPct));
  const lagP99Ms = Math.max(0, ...reports.map((r) => r.process.overallLagP99Ms ?? 0));
  const saturated = reports.some((r) => r.process.saturated);
  const connectFailures = sum((r) => r.connectFailures);
  const notes: string[] = [];
  for (const r of reports) if (r.process.saturated) notes.push(`generator ${r.driver} saturated: ${r.process.reason ?? "?"}`);
  if (connectFailures > 0) notes.push(`${connectFailures} clients failed to connect`);
  const ours = input.server.cpuPct + (input.redis?.cpuPct ?? 0) + generatorCpu;
  const machine = input.machinePct === undefined ? undefined : { busyPct: round1(input.machinePct), othersPct: round1(Math.max(0, input.machinePct - ours)) };
  if (machine && machine.othersPct > NOISY_OTHERS_PCT) notes.push(`other processes on the machine used ${machine.othersPct} % of a core during the run (noisy)`);
  return {
    scenario: input.scenario,
    system: input.system,
    step: input.step,
    clients: sum((r) => r.clients),
    startAt: input.startAt,
    durationMs: input.durationMs,
    latency: summarize(latency),
    latencyByKind: byKind,
    sendLag: summarize(mergeHistograms(reports.map((r) => r.sendLag))),
    stages: mergeStages(reports.flatMap((r) => (r.stages ? [r.stages] : []))),
    sent: sum((r) => r.counts.sent.edit + r.counts.sent.cursor),
    expected: expected.edit + expected.cursor,
    delivered,
    deliveriesPerSec: Math.round(delivered / (input.durationMs / 1000)),
    loss: expected.edit - received.edit + (input.coalescesCursors ? 0 : cursorShort),
    coalesced: input.coalescesCursors ? cursorShort : 0,
    duplicates: sum((r) => r.counts.duplicates),
    unattributed: sum((r) => r.counts.unattributed),
    resets: sum((r) => r.counts.resets),
    sendErrors: sum((r) => r.counts.sendErrors),
    connectFailures,
    server: serverFigures(input.server),
    redis: input.redis ? { cpuPct: round1(input.redis.cpuPct) } : undefined,
    generator: { cpuPct: round1(generatorCpu), lagP99Ms, saturated, processes: reports.length },
    machine,
    valid: !saturated && connectFailures === 0,
    notes,
    histogram: encodeHistogram(latency),
    errors: reports.flatMap((r) => r.errors).slice(0, 10),
  };
}

export function serverFigures(window: ProcWindow) {
  return { cpuPct: round1(window.cpuPct), rssStartMb: mb(window.rssStartBytes), rssPeakMb: mb(window.rssPeakBytes), rssEndMb: mb(window.rssEndBytes) };
}

export function average(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
