import path from "node:path";
import type { SystemName } from "../driver/protocol.js";
import { STAGES, type Stage } from "../driver/stages.js";
import type { RunResult } from "../scenarios/run-result.js";
import type { BenchResults } from "./bench-results.js";
import type { ProfileSummary } from "./cpu-profile.js";

const LABEL: Record<SystemName, string> = { ws: "raw ws", socketio: "Socket.IO + Redis", hocuspocus: "Hocuspocus + Redis", cohort: "**Cohort**" };
const BASELINES: readonly SystemName[] = ["ws", "socketio", "hocuspocus"];

const num = (value: number) => value.toLocaleString("en");
const fixed = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function streamRow(run: RunResult): string[] {
  const { latency: l } = run;
  return [
    LABEL[run.system] + (run.step ? ` — ${run.step}` : ""),
    fixed(l.p50),
    fixed(l.p90),
    fixed(l.p99),
    fixed(l.p999),
    fixed(l.max),
    num(run.deliveriesPerSec),
    num(run.loss) + (run.coalesced ? ` (+${num(run.coalesced)} coalesced)` : ""),
    num(run.duplicates),
    String(run.server.cpuPct),
    String(run.server.rssPeakMb),
    run.redis ? String(run.redis.cpuPct) : "–",
    `${run.generator.cpuPct} (${run.generator.processes}p)`,
    run.machine ? String(run.machine.othersPct) : "–",
    run.sendLag ? fixed(run.sendLag.p99) : "–",
    run.valid ? "valid" : "**invalid**",
  ];
}

const STREAM_HEADER = [
  "system",
  "p50 ms",
  "p90 ms",
  "p99 ms",
  "p99.9 ms",
  "max ms",
  "deliveries/s",
  "loss",
  "dup",
  "server CPU %",
  "server RSS MB",
  "Redis CPU %",
  "generator CPU %",
  "others CPU %",
  "send lag p99 ms",
  "run",
];

/** Cohort ÷ baseline, for latency, throughput and CPU (below 1 is better for latency and CPU). */
function ratios(runs: readonly RunResult[], pick: (r: RunResult) => number, label: string): string {
  const cohort = runs.find((r) => r.system === "cohort");
  if (!cohort) return "";
  const parts = BASELINES.flatMap((system) => {
    const base = runs.find((r) => r.system === system);
    const value = base ? pick(base) : 0;
    return base && value > 0 ? [`${(pick(cohort) / value).toFixed(2)}× ${LABEL[system].replace(/\*/g, "")}`] : [];
  });
  return parts.length > 0 ? `Cohort ÷ baseline, ${label}: ${parts.join(", ")}.` : "";
}

const STAGE_LABEL: Record<Stage, string> = {
  client: "client (t1 − t0: generator and SDK before the push leaves)",
  toServer: "to server (t2 − t1)",
  server: "server (t3 − t2: the mutation, Redis round trips)",
  toReceiver: "to receiver (receive − t3: fan-out, network, receiving client)",
};

/** Where Cohort's latency goes, from its trace stamps; nothing for runs without stamps (the baselines). */
function stageTables(runs: readonly RunResult[]): string[] {
  return runs.flatMap((run) => {
    const { stages } = run;
    if (run.system !== "cohort" || !stages) return [];
    return [
      `Where Cohort's latency goes${run.step ? ` (${run.step})` : ""}, per delivered event, from its trace stamps (whole ms: a stage under ~1 ms reads as 0 or 1):`,
      table(
        ["stage", "p50 ms", "p90 ms", "p99 ms", "max ms"],
        STAGES.map((stage) => [STAGE_LABEL[stage], fixed(stages[stage].p50), fixed(stages[stage].p90), fixed(stages[stage].p99), fixed(stages[stage].max)]),
      ),
    ];
  });
}

function renderStream(runs: RunResult[]): string {
  const out = [table(STREAM_HEADER, runs.map(streamRow))];
  const lines = [ratios(runs, (r) => r.latency.p99, "p99"), ratios(runs, (r) => r.server.cpuPct, "server CPU"), ratios(runs, (r) => r.server.rssPeakMb, "server RSS")].filter(Boolean);
  if (lines.length > 0) out.push(lines.map((l) => `- ${l}`).join("\n"));
  out.push(...stageTables(runs));
  const notes = runs.flatMap((r) => r.notes.map((n) => `- ${r.system}: ${n}`));
  const errors = runs.flatMap((r) => (r.errors ?? []).slice(0, 3).map((e) => `- ${r.system} error: ${e.replace(/\s+/g, " ").slice(0, 200)}`));
  if (notes.length + errors.length > 0) out.push([...notes, ...errors].join("\n"));
  return out.join("\n\n");
}

function renderSaturation(runs: RunResult[], results: BenchResults): string {
  const out = [table(STREAM_HEADER, runs.map(streamRow))];
  const reached = Object.entries(results.saturation) as [SystemName, { deliveriesPerSec: number; limitedBy: string }][];
  if (reached.length > 0) {
    out.push(
      table(
        ["system", `deliveries/s reached (p99 ≤ ${results.plan.saturation.maxP99Ms} ms)`, "stopped by", "Cohort ÷ this"],
        reached.map(([system, r]) => [
          LABEL[system],
          num(r.deliveriesPerSec),
          r.limitedBy,
          results.saturation.cohort && r.deliveriesPerSec > 0 ? `${(results.saturation.cohort.deliveriesPerSec / r.deliveriesPerSec).toFixed(2)}×` : "–",
        ]),
      ),
    );
  }
  return out.join("\n\n");
}

function renderJoin(runs: RunResult[]): string {
  const notes = runs.flatMap((r) => r.notes.map((n) => `- ${r.system}: ${n}`));
  return [joinTable(runs), ...(notes.length > 0 ? [notes.join("\n")] : [])].join("\n\n");
}

function joinTable(runs: RunResult[]): string {
  return table(
    ["system", "synced p50 ms", "p90 ms", "p99 ms", "max ms", "synced / clients", "server CPU %", "server RSS peak MB", "Redis CPU %", "generator CPU %", "others CPU %", "run"],
    runs.map((r) => [
      LABEL[r.system],
      fixed(r.latency.p50),
      fixed(r.latency.p90),
      fixed(r.latency.p99),
      fixed(r.latency.max),
      `${r.latency.count} / ${r.clients}`,
      String(r.server.cpuPct),
      String(r.server.rssPeakMb),
      r.redis ? String(r.redis.cpuPct) : "–",
      String(r.generator.cpuPct),
      r.machine ? String(r.machine.othersPct) : "–",
      r.valid ? "valid" : "**invalid**",
    ]),
  );
}

function renderIdle(runs: RunResult[]): string {
  return table(
    ["system", "clients connected", "RSS after a full GC, by clients (MB)", "RSS KB per client (slope)", "heap + external KB per client (slope)", "idle CPU %", "run"],
    runs.map((r) => [
      LABEL[r.system],
      String(r.extra?.connected ?? 0),
      String(r.extra?.rssMbByClients ?? ""),
      `**${r.extra?.kbPerClient ?? 0}**`,
      String(r.extra?.heapKbPerClient ?? ""),
      String(r.server.cpuPct),
      r.valid ? "valid" : "**invalid**",
    ]),
  );
}

export function renderProfile(summary: ProfileSummary): string {
  const top = table(
    ["#", "function", "where", "self ms", "self % of busy"],
    summary.top.map((h, i) => [String(i + 1), `\`${h.name}\``, h.where ? `\`${h.where}\`` : "", String(h.selfMs), String(h.selfPct)]),
  );
  const areas = table(["area", "self ms", "%"], summary.byArea.map((a) => [a.area, String(a.selfMs), String(a.selfPct)]));
  const scope = summary.windows ? ` inside the measured window${summary.windows.length > 1 ? "s" : ""}` : "";
  return [`Profile \`${path.basename(summary.file)}\`: ${num(summary.busyMs)} ms busy of ${num(summary.totalMs)} ms sampled${scope}.`, top, "By area:", areas].join("\n\n");
}

const SCENARIO_TITLE: Record<string, string> = {
  "fanout-50": "fanout-50 — 50 clients × 2 edits/s, one room",
  "fanout-100": "fanout-100 — 100 clients × 2 edits/s, one room",
  "fanout-200": "fanout-200 — 200 clients × 2 edits/s, one room",
  classroom: "classroom — 60 students × (5 edits + 5 cursor moves)/s in their own projects, 3 co-editing pairs, 1 teacher watching all",
  saturation: "saturation — offered load raised step by step until p99 > 50 ms",
  "join-storm": "join-storm — 200 clients join and sync a 200-file project at once (time to synced)",
  "idle-memory": "idle-memory — connected, subscribed, idle clients",
};

/** The results of one run as markdown (bench/results/<date>.md, and the latest table of docs/performance.md). */
export function renderResults(results: BenchResults, { headingLevel = 2 }: { headingLevel?: number } = {}): string {
  const h = (level: number) => "#".repeat(headingLevel + level);
  const m = results.machine;
  const out: string[] = [
    `${h(0)} Bench ${results.runId} (${results.mode})`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.kernel}, Node ${m.node}; commit ${m.commit}. ` +
      `Server, Redis and load generators share the cores. Started ${results.startedAt}, finished ${results.finishedAt}. Command: \`npm run bench -- ${results.args.join(" ")}\`.`,
  ];
  out.push(`${h(1)} Cohort against the targets`);
  out.push(table(["target", "this run", "met"], results.targets.map((t) => [t.target, t.actual, t.met === "n/a" ? "–" : t.met ? "yes" : "**no**"])));
  const scenarios = [...new Set(results.runs.map((r) => r.scenario))];
  for (const scenario of scenarios) {
    const runs = results.runs.filter((r) => r.scenario === scenario);
    out.push(`${h(1)} ${SCENARIO_TITLE[scenario] ?? scenario}`);
    if (scenario === "saturation") out.push(renderSaturation(runs, results));
    else if (scenario === "join-storm") out.push(renderJoin(runs));
    else if (scenario === "idle-memory") out.push(renderIdle(runs));
    else out.push(renderStream(runs));
  }
  if (results.micro.length > 0) {
    out.push(`${h(1)} Micro-benchmarks (issues 3 and 4)`);
    out.push(
      table(
        ["benchmark", "what", "result", "target", "met", "details"],
        results.micro.map((r) => [
          r.name,
          r.detail,
          `${r.metric} ${r.value} ms`,
          `≤ ${num(r.target)} ms`,
          r.met ? "yes" : "**no**",
          Object.entries(r.extra ?? {})
            .map(([k, v]) => `${k} ${v}`)
            .join(", "),
        ]),
      ),
    );
  }
  if (results.failures.length > 0) {
    out.push(`${h(1)} Failed runs`);
    out.push(results.failures.map((f) => `- ${f.scenario} / ${f.system}: ${f.error.replace(/\s+/g, " ").slice(0, 400)}`).join("\n"));
  }
  for (const { scenario, summary } of results.profiles) {
    out.push(`${h(1)} CPU profile of the Cohort server during ${scenario}`);
    out.push(renderProfile(summary));
  }
  return out.join("\n\n") + "\n";
}
