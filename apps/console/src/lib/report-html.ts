import { formatCount, formatMs, formatPercent } from "./format";
import { describeKey, headline, orderedRows, PERCENTILE_COLUMNS } from "./results-view";
import type { LoadTest, LoadTestResults } from "~/trpc/types";

const escape = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

/**
 * A self-contained HTML report (no scripts, no external files: inline CSS and SVG), so it can be
 * mailed, archived or opened offline and still show the same figures as the console. The full
 * JSON results are embedded too, for anyone who wants to reprocess them.
 */
export function renderReportHtml({ test, results, generatedAt }: { test: LoadTest | null; results: LoadTestResults; generatedAt: Date }): string {
  const rows = orderedRows(results);
  const title = `Cohort load test #${results.testId}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #dde1e7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #5f6b7a; } .warn { background: #fdf7ea; border-left: 4px solid #b7791f; padding: 0.5rem 1rem; }
.bad { color: #c53030; } .ok { color: #1f8a4c; }
.stats { display: flex; flex-wrap: wrap; gap: 1.5rem; } .stat b { display: block; font-size: 1.2rem; }
svg text { font-size: 11px; fill: #5f6b7a; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p class="muted">Generated ${escape(generatedAt.toISOString())} by the Cohort console.
${test ? `Lesson ${escape(test.lessonId)}, ${escape(test.clients)} clients in ${escape(test.testers.length)} testers, ${escape(test.durationSec)} s planned, ${escape(test.scenario.ratePerClient)} events/s per client, ${escape(test.launcher)} launcher, target ${escape(test.serverUrl)}.` : ""}
State: ${escape(results.state)}${results.final ? "" : " (not final)"} · <span class="${results.valid ? "ok" : "bad"}">${results.valid ? "valid run" : "figures suspect"}</span></p>
${results.warnings.length > 0 ? `<div class="warn"><ul>${results.warnings.map((w) => `<li>${escape(w)}</li>`).join("")}</ul></div>` : ""}
<div class="stats">${headline(results)
    .map((h) => `<div class="stat"><b>${escape("percent" in h ? formatPercent(h.value) : formatCount(h.value))}</b><span class="muted">${escape(h.label)}</span></div>`)
    .join("")}</div>

<h2>Latency percentiles (ms)</h2>
<table>
<thead><tr><th>Event</th><th>Measure</th><th class="num">count</th><th class="num">mean</th>${PERCENTILE_COLUMNS.map((c) => `<th class="num">${c.label}</th>`).join("")}</tr></thead>
<tbody>${rows
    .map((r) => {
      const { kind, measure } = describeKey(r.key);
      return `<tr><td>${escape(kind)}</td><td class="muted">${measure}</td><td class="num">${formatCount(r.count)}</td><td class="num">${formatMs(r.meanMs)}</td>${PERCENTILE_COLUMNS.map((c) => `<td class="num">${formatMs(r[c.key])}</td>`).join("")}</tr>`;
    })
    .join("")}</tbody>
</table>
<p class="muted">From the merged HDR histograms of every tester (counts added, never percentiles averaged). ack: intended send → server answer; delivery: intended send → receipt by another client (clock-corrected).</p>

<h2>Latency over time (ms): p50 and p99 of each second</h2>
${latencySvg(results.overTime)}

<h2>Errors</h2>
${
  results.errors.total === 0
    ? "<p>No errors.</p>"
    : `<table><tbody>${Object.entries(results.errors.byCode)
        .map(([code, n]) => `<tr><td>${escape(code)}</td><td class="num">${formatCount(n)}</td></tr>`)
        .join("")}</tbody></table>`
}

<h2>Testers</h2>
<p>${escape(results.testers.reported.length)} of ${escape(results.testers.total)} reported.
Failed: ${escape(results.testers.failed.map((f) => `${f.testerId}${f.error ? ` (${f.error})` : ""}`).join(", ") || "none")}.
Saturated: ${escape(results.testers.saturated.map((s) => s.testerId).join(", ") || "none")}.
Raw reports: ${escape(results.reports.prefix)} (${escape(results.reports.keys.length)} files).</p>

<script type="application/json" id="results">${JSON.stringify({ test, results }).replace(/</g, "\\u003c")}</script>
</body>
</html>
`;
}

/** p50 (blue) and p99 (red) per second as an inline SVG line chart. */
function latencySvg(overTime: LoadTestResults["overTime"]): string {
  if (overTime.length === 0) return "<p>No per-second figures.</p>";
  const width = 1000;
  const height = 280;
  const pad = { left: 56, right: 12, top: 10, bottom: 28 };
  const t0 = overTime[0]!.second;
  const t1 = Math.max(overTime.at(-1)!.second, t0 + 1);
  const yMax = Math.max(...overTime.map((s) => s.p99Ms), 0.001) * 1.1;
  const x = (second: number) => pad.left + ((second - t0) / (t1 - t0)) * (width - pad.left - pad.right);
  const y = (ms: number) => pad.top + (1 - ms / yMax) * (height - pad.top - pad.bottom);
  const line = (pick: (s: (typeof overTime)[number]) => number) => overTime.map((s, i) => `${i === 0 ? "M" : "L"}${x(s.second).toFixed(1)},${y(pick(s)).toFixed(1)}`).join(" ");
  const band = `${line((s) => s.p99Ms)} ${[...overTime]
    .reverse()
    .map((s) => `L${x(s.second).toFixed(1)},${y(s.p50Ms).toFixed(1)}`)
    .join(" ")} Z`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="p50 and p99 latency per second">
${ticks.map((v) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eef0f3"/><text x="${pad.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${formatMs(v)}</text>`).join("\n")}
<path d="${band}" fill="#2f6fde" fill-opacity="0.15" stroke="none"/>
<path d="${line((s) => s.p50Ms)}" fill="none" stroke="#2f6fde" stroke-width="1.5"/>
<path d="${line((s) => s.p99Ms)}" fill="none" stroke="#c53030" stroke-width="1.5"/>
<text x="${pad.left}" y="${height - 8}">0 s</text><text x="${width - pad.right}" y="${height - 8}" text-anchor="end">${t1 - t0} s</text>
</svg>
<p class="muted"><span style="color:#2f6fde">p50</span> · <span style="color:#c53030">p99</span> · band between them</p>`;
}
