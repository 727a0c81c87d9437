// npm run soak -- --minutes N [--clients 100] [--rate 2]
// 100 virtual clients (SDK) on 2 Cohort instances for N minutes: memory and event-loop lag of each
// instance over time from its /metrics, the growth slope after warm-up, and delivery figures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDb } from "@cohort/db";
import { createBenchDatabase } from "./cohort/database.js";
import { spawnCohortServer } from "./cohort/cohort-server.js";
import { readBenchEnv, resultsDir } from "./env.js";
import { connectRedisAdmin } from "./redis-admin.js";
import { machineInfo } from "./report/machine.js";
import { runStream } from "./scenarios/measure.js";
import { traffic } from "./scenarios/plan.js";
import { startCohort } from "./systems/cohort-system.js";
import type { Topology } from "./systems/topology.js";
import { linearSlope } from "@cohort/loadtest";
import { scrapeMetrics, type MetricsSample } from "./soak/metrics.js";

const { values } = parseArgs({
  options: { minutes: { type: "string", default: "10" }, clients: { type: "string", default: "100" }, rate: { type: "string", default: "2" } },
});
const minutes = Math.max(1, Math.min(24 * 60, Number(values.minutes) || 10));
const clients = Math.max(2, Math.min(1_000, Number(values.clients) || 100));
const rate = Math.max(0.1, Math.min(20, Number(values.rate) || 2));
const env = readBenchEnv();
const runId = new Date().toISOString().replace(/:/g, "-").replace(/\.\d+Z$/, "Z");
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const prefix = `cohort-soak:${runId}:`;

const redis = await connectRedisAdmin(env.redisUrl);
const database = await createBenchDatabase(env.databaseUrl, `soak_${runId}`);
const db = await createDb({ databaseUrl: database.url, poolSize: 4 });
const blobDir = mkdtempSync(path.join(os.tmpdir(), "cohort-soak-blobs-"));
const serverOptions = { databaseUrl: database.url, redisUrl: env.redisUrl, prefix, blobDir };
const first = await startCohort({ ...serverOptions, db, instanceId: "soak-a" });
const second = await spawnCohortServer({ ...serverOptions, instanceId: "soak-b" });
const instances = [
  { name: "a", pid: first.pid, metricsUrl: first.metricsUrl!, wsUrl: first.url },
  { name: "b", pid: second.pid, metricsUrl: `${second.url}/metrics`, wsUrl: second.wsUrl },
];
const samples: Record<string, MetricsSample[]> = { a: [], b: [] };
let timer: NodeJS.Timeout | undefined;

try {
  // Rooms of 10: each a student's project where 10 classmates edit their own files.
  const roomSize = 10;
  const topology: Topology = {
    rooms: Array.from({ length: Math.ceil(clients / roomSize) }, (_, r) => ({ name: `r${r}`, owner: r * roomSize })),
    clients: Array.from({ length: clients }, (_, i) => {
      const room = `r${Math.floor(i / roomSize)}`;
      return { role: "student" as const, watch: [room], send: { room, file: `c${i}.txt` } };
    }),
  };
  const prepared = await first.prepare(topology);
  // Half the clients on each instance: every edit crosses instances through Redis.
  prepared.clients.forEach((client, i) => (client.url = instances[i % 2]!.wsUrl));
  log(`soak ${runId}: ${clients} clients on 2 instances, ${rate} msg/s each, ${minutes} min`);
  const started = Date.now();
  const scrape = async () => {
    for (const instance of instances) {
      const sample = await scrapeMetrics(instance.metricsUrl, instance.pid, started).catch(() => undefined);
      if (sample) samples[instance.name]!.push(sample);
    }
  };
  await scrape();
  timer = setInterval(() => void scrape(), 10_000);
  const result = await runStream(first, prepared, {
    scenario: "soak",
    traffic: traffic({ ratePerClient: rate, weights: { edit: 3, cursor: 1 }, durationMs: minutes * 60_000 }),
    drainMs: 5_000,
    context: { redisPid: redis.pid, drivers: 2, padBytes: 0 },
  });
  clearInterval(timer);
  await scrape();

  const report = instances.map((instance) => {
    const list = samples[instance.name]!;
    // The first fifth is warm-up (JIT, caches, pools filling).
    const steady = list.filter((s) => s.atMin >= minutes / 5);
    // Scrapes that failed leave gaps; with fewer than two left there is no slope to report (NaN).
    const slopeOf = (y: (s: MetricsSample) => number) => (steady.length >= 2 ? linearSlope(steady.map((s) => [s.atMin, y(s)])) : Number.NaN);
    return {
      instance: instance.name,
      rssSlopeMbPerMin: slopeOf((s) => s.rssMb),
      heapSlopeMbPerMin: slopeOf((s) => s.heapUsedMb),
      maxLagP99Ms: Math.max(0, ...list.map((s) => s.lagP99Ms)),
      first: list[0],
      last: list.at(-1),
    };
  });
  const lines = [
    `# Soak ${runId}`,
    "",
    `${clients} clients (SDK, live documents) on 2 Cohort instances, ${rate} msg/s each (3 edits : 1 cursor move), ${minutes} min. Machine: ${machineInfo().cpu}, ${os.cpus().length} cores.`,
    "",
    `Deliveries: ${result.delivered.toLocaleString("en")} of ${result.expected.toLocaleString("en")} expected (loss ${result.loss}, coalesced cursor moves ${result.coalesced}, duplicates ${result.duplicates}, resets ${result.resets}); latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; generator CPU ${result.generator.cpuPct} %${result.valid ? "" : " (generator saturated: invalid)"}.`,
    "",
    "| instance | RSS start → end MB | heap used start → end MB | RSS slope MB/min (after warm-up) | heap slope MB/min | max event-loop lag p99 ms |",
    "| --- | --- | --- | --- | --- | --- |",
    ...report.map(
      (r) =>
        `| ${r.instance} | ${r.first?.rssMb ?? "?"} → ${r.last?.rssMb ?? "?"} | ${r.first?.heapUsedMb ?? "?"} → ${r.last?.heapUsedMb ?? "?"} | ${r.rssSlopeMbPerMin.toFixed(2)} | ${r.heapSlopeMbPerMin.toFixed(2)} | ${r.maxLagP99Ms} |`,
    ),
    "",
    "Samples (every 10 s):",
    "",
    "| min | instance | RSS MB | heap used MB | event-loop lag p99 ms | connections |",
    "| --- | --- | --- | --- | --- | --- |",
    ...instances.flatMap((instance) => samples[instance.name]!.map((s) => `| ${s.atMin.toFixed(1)} | ${instance.name} | ${s.rssMb} | ${s.heapUsedMb} | ${s.lagP99Ms} | ${s.connections} |`)),
  ];
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `soak-${runId}.json`), JSON.stringify({ runId, minutes, clients, rate, result, report, samples }, null, 2) + "\n");
  writeFileSync(path.join(resultsDir, `soak-${runId}.md`), lines.join("\n") + "\n");
  console.log(lines.slice(0, 10 + report.length).join("\n"));
  log(`written bench/results/soak-${runId}.md and .json`);
} finally {
  if (timer) clearInterval(timer);
  await first.stop();
  await second.stop();
  await db.$disconnect();
  await database.drop();
  rmSync(blobDir, { recursive: true, force: true });
  await redis.deleteByPrefixes([prefix]);
  redis.close();
}
