import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import pg from "pg";
const c = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/cohort_qprof1795962152918" });
await c.connect();
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const name = file.replace(/\W/g, "");
  const t: number[] = [];
  for (let i = 0; i < 330; i++) { const s = performance.now(); const r = await c.query({ name, text, values: [] }); if (i >= 30) t.push(performance.now() - s); if (i === 0) console.log(file, "rows", r.rows.length); }
  t.sort((a, b) => a - b);
  console.log(file, "min", t[0]!.toFixed(2), "p10", t[30]!.toFixed(2), "p50", t[150]!.toFixed(2), "p90", t[270]!.toFixed(2), "p99", t[297]!.toFixed(2));
}
await c.end();
