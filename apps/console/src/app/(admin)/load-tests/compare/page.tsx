import type { Metadata } from "next";
import Link from "next/link";
import { formatCount, formatPercent } from "~/lib/format";
import { describeKey, headline, orderedRows, PERCENTILE_COLUMNS } from "~/lib/results-view";
import { callServer } from "~/trpc/server";
import type { LoadTestResults } from "~/trpc/types";
import { CallError } from "../../_components/call-error";
import { PercentileCells, PercentileHeaders } from "../_components/percentile-cells";

export const metadata: Metadata = { title: "Compare load tests" };

/** Two runs side by side: each event's percentiles of A, of B, and how B differs. */
export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const ids = [query.a, query.b].map((v) => Number(v));
  if (!ids.every((id) => Number.isSafeInteger(id) && id > 0)) {
    return (
      <>
        <h1>Compare load tests</h1>
        <p>
          Pick two finished tests on the <Link href="/load-tests">load tests</Link> page.
        </p>
      </>
    );
  }
  const [a, b] = await Promise.all(ids.map((testId) => callServer((api) => api.loadtest.results.query({ testId }), `/load-tests/compare?a=${ids[0]}&b=${ids[1]}`)));
  return (
    <>
      <p className="small">
        <Link href="/load-tests">← Load tests</Link>
      </p>
      <h1>
        Test #{ids[0]} (A) and #{ids[1]} (B)
      </h1>
      {!a!.ok ? <CallError what={`test ${ids[0]}`} error={a!.error} /> : null}
      {!b!.ok ? <CallError what={`test ${ids[1]}`} error={b!.error} /> : null}
      {a!.ok && b!.ok ? <Comparison a={a!.data} b={b!.data} /> : null}
    </>
  );
}

/** B relative to A; for latencies an increase is shown as worse. */
function delta(a: number, b: number, { latency = true }: { latency?: boolean } = {}) {
  if (a === 0) return b === 0 ? "±0" : "new";
  const change = (b - a) / a;
  const text = `${change > 0 ? "+" : ""}${(change * 100).toFixed(1)} %`;
  const color = !latency || Math.abs(change) < 0.05 ? "var(--muted)" : change > 0 ? "var(--bad)" : "var(--ok)";
  return <span style={{ color }}>{text}</span>;
}

function Comparison({ a, b }: { a: LoadTestResults; b: LoadTestResults }) {
  const keys = [...new Set([...orderedRows(a), ...orderedRows(b)].map((r) => r.key))];
  const row = (results: LoadTestResults, key: string) => results.latency.find((r) => r.key === key);
  const headA = headline(a);
  const headB = headline(b);
  return (
    <>
      {!a.valid || !b.valid ? (
        <div className="alert warn">
          {!a.valid ? "A" : ""}
          {!a.valid && !b.valid ? " and " : ""}
          {!b.valid ? "B" : ""} did not run cleanly (failed or saturated testers): compare with care.
        </div>
      ) : null}
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Percentiles (ms)</h2>
        <table data-testid="comparison">
          <thead>
            <tr>
              <th>Event</th>
              <th>Run</th>
              <th className="num">count</th>
              <PercentileHeaders />
            </tr>
          </thead>
          <tbody>
            {keys.flatMap((key) => {
              const ra = row(a, key);
              const rb = row(b, key);
              return [
                <tr key={`${key}:a`}>
                  <td rowSpan={3}>
                    <strong>{describeKey(key).label}</strong>
                  </td>
                  <td>A #{a.testId}</td>
                  <td className="num">{formatCount(ra?.count)}</td>
                  <PercentileCells row={ra} />
                </tr>,
                <tr key={`${key}:b`}>
                  <td>B #{b.testId}</td>
                  <td className="num">{formatCount(rb?.count)}</td>
                  <PercentileCells row={rb} />
                </tr>,
                <tr key={`${key}:d`} className="small">
                  <td className="muted">B vs A</td>
                  <td className="num">{ra && rb ? delta(ra.count, rb.count, { latency: false }) : "–"}</td>
                  {PERCENTILE_COLUMNS.map((c) => (
                    <td key={c.key} className="num">
                      {ra && rb ? delta(ra[c.key], rb[c.key]) : "–"}
                    </td>
                  ))}
                </tr>,
              ];
            })}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Load, throughput, loss</h2>
        <table>
          <thead>
            <tr>
              <th />
              <th className="num">A #{a.testId}</th>
              <th className="num">B #{b.testId}</th>
            </tr>
          </thead>
          <tbody>
            {headA.map((item, i) => {
              const other = headB[i]!;
              const show = (v: number) => ("percent" in item ? formatPercent(v) : formatCount(v));
              return (
                <tr key={item.label}>
                  <td>{item.label}</td>
                  <td className="num">{show(item.value)}</td>
                  <td className="num">{show(other.value)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}
