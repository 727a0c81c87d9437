import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatCount, formatPercent } from "~/lib/format";
import { headline } from "~/lib/results-view";
import { callServer } from "~/trpc/server";
import type { LoadTestResults } from "~/trpc/types";
import { CallError } from "../../../_components/call-error";
import { StateBadge } from "../../_components/state-badge";
import { LatencyOverTimeChart } from "./_components/latency-over-time-chart";
import { DistributionCharts } from "./_components/distribution-charts";
import { PercentileTable } from "./_components/percentile-table";

export const metadata: Metadata = { title: "Load test results" };

export default async function ResultsPage({ params }: { params: Promise<{ testId: string }> }) {
  const testId = Number((await params).testId);
  if (!Number.isSafeInteger(testId) || testId <= 0) notFound();
  const result = await callServer((api) => api.loadtest.results.query({ testId }), `/load-tests/${testId}/results`);
  if (!result.ok && result.error.code === "NOT_FOUND") notFound();
  return (
    <>
      <p className="small row">
        <Link href={`/load-tests/${testId}`}>← Test #{testId}</Link>
        <span className="spacer" />
        <a className="button" href={`/api/load-tests/${testId}/report?format=json`} download>
          Download JSON
        </a>
        <a className="button" href={`/api/load-tests/${testId}/report?format=html`} download>
          Download HTML report
        </a>
      </p>
      <h1>Results of load test #{testId}</h1>
      {!result.ok ? <CallError what="the results" error={result.error} /> : <Results results={result.data} />}
    </>
  );
}

function Results({ results }: { results: LoadTestResults }) {
  const failedTesters = results.testers.failed;
  return (
    <>
      <section className="panel">
        <div className="row">
          <StateBadge state={results.state} />
          <span className={`badge ${results.valid ? "ok" : "bad"}`} data-testid="results-valid">
            {results.valid ? "valid run" : "figures suspect"}
          </span>
          {!results.final ? <span className="badge pending">not final</span> : null}
          <span className="small muted">
            {results.testers.reported.length} of {results.testers.total} testers reported
          </span>
        </div>
        {results.warnings.length > 0 ? (
          <ul className="alert warn" style={{ paddingLeft: "1.8rem" }}>
            {results.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
        <div className="stats" style={{ marginTop: "0.8rem" }} data-testid="headline">
          {headline(results).map((item) => (
            <span className="stat" key={item.label}>
              <span className="value">{"percent" in item ? formatPercent(item.value) : formatCount(item.value)}</span>
              <span className="label">{item.label}</span>
            </span>
          ))}
        </div>
      </section>

      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Latency percentiles</h2>
        <PercentileTable rows={results.latency} />
        <p className="note">
          From the merged HDR histograms of every tester (counts added, never percentiles averaged). &ldquo;ack&rdquo;: from the intended
          send time to the server&apos;s answer, so a tester that fell behind cannot hide delay. &ldquo;delivery&rdquo;: from the intended
          send time to receipt by another virtual client, corrected for clock offset.
        </p>
      </section>

      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Latency over time</h2>
        <LatencyOverTimeChart overTime={results.overTime} />
        <p className="note">
          Each second&apos;s p50 and p99 of acks, from that second&apos;s merged histogram. No data grouping: zooming out never averages
          percentiles.
        </p>
      </section>

      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Distribution</h2>
        <DistributionCharts histograms={results.histograms} />
      </section>

      <div className="grid-2">
        <section className="panel">
          <h2 style={{ marginTop: 0 }}>Errors</h2>
          {results.errors.total === 0 ? (
            <p className="muted">No errors.</p>
          ) : (
            <table data-testid="errors">
              <tbody>
                {Object.entries(results.errors.byCode)
                  .sort(([, a], [, b]) => b - a)
                  .map(([code, count]) => (
                    <tr key={code}>
                      <td className="mono">{code}</td>
                      <td className="num">{formatCount(count)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
          <h3>By event kind</h3>
          <table>
            <thead>
              <tr>
                <th>Kind</th>
                <th className="num">sent</th>
                <th className="num">acked</th>
                <th className="num">errors</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(results.counters.byKind).map(([kind, c]) => (
                <tr key={kind}>
                  <td>{kind}</td>
                  <td className="num">{formatCount(c.sent)}</td>
                  <td className="num">{formatCount(c.acked)}</td>
                  <td className="num">{formatCount(c.errors)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2 style={{ marginTop: 0 }}>Testers and accuracy</h2>
          <ul className="small">
            <li>Late sends (tester behind schedule): {formatCount(results.counters.lateSends)}, worst lag {results.counters.maxScheduleLagMs.toFixed(1)} ms</li>
            <li>Latencies below 0 (clock offset error, counted as 0): {formatCount(results.counters.negativeLatencies)}</li>
            <li>Latencies over the histogram range: {formatCount(results.counters.overRange)}</li>
            <li>In flight when aborted: {formatCount(results.counters.cancelled)}</li>
            <li>Saturated testers: {results.testers.saturated.map((s) => `${s.testerId} (${s.reason ?? "?"})`).join(", ") || "none"}</li>
            <li>Aborted testers: {results.testers.aborted.join(", ") || "none"}</li>
          </ul>
          {failedTesters.length > 0 ? (
            <table>
              <tbody>
                {failedTesters.map((t) => (
                  <tr key={t.testerId}>
                    <td>{t.testerId}</td>
                    <td className="small">{t.error ?? "failed"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <p className="note">
            Raw tester reports (gzip JSON) are in the blob store under <code>{results.reports.prefix}</code> ({results.reports.keys.length}{" "}
            files).
          </p>
        </section>
      </div>
    </>
  );
}
