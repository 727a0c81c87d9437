"use client";

import Link from "next/link";
import { useState } from "react";
import type { LiveSecond, LoadTest, LoadTestWatchEvent } from "~/trpc/types";
import { errorMessage, useApiSubscription } from "~/trpc/react";
import { StateBadge } from "../../_components/state-badge";
import { LiveChart } from "./live-chart";
import { TestControls } from "./test-controls";

const FINISHED = new Set(["done", "stopped", "failed"]);
const KEEP_SECONDS = 900;

/** Applies one loadtest.watch event to the test as last seen. */
function apply(test: LoadTest, event: Exclude<LoadTestWatchEvent, { type: "second" }>): LoadTest {
  switch (event.type) {
    case "snapshot":
      return event.test;
    case "test":
      return { ...test, state: event.state, startAt: event.startAt, endAt: event.endAt, error: event.error };
    case "tester":
      return { ...test, testers: test.testers.map((t) => (t.testerId === event.testerId ? { ...t, state: event.state, error: event.error } : t)) };
  }
}

/**
 * A test as it happens (loadtest.watch): testers come up (launching → pending → running), the
 * common start, per-second figures merged from every tester, the end.
 */
export function LoadTestLive({ initial }: { initial: LoadTest }) {
  const [test, setTest] = useState(initial);
  const [seconds, setSeconds] = useState<LiveSecond[]>([]);
  const [watchError, setWatchError] = useState<string | null>(null);
  const finished = FINISHED.has(test.state);

  useApiSubscription(
    (api) =>
      api.loadtest.watch.subscribe(
        { testId: initial.id },
        {
          onData: (event) => {
            setWatchError(null);
            if (event.type === "second") {
              // A tester may report a second again (late results): the newer figures replace it.
              setSeconds((list) => [...list.filter((s) => s.second !== event.second), event].sort((a, b) => a.second - b.second).slice(-KEEP_SECONDS));
              return;
            }
            setTest((t) => apply(t, event));
          },
          onError: (error) => setWatchError(errorMessage(error)),
        },
      ),
    [initial.id],
  );

  const latest = seconds.at(-1);
  const counts = test.testers.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.state]: (acc[t.state] ?? 0) + 1 }), {});
  return (
    <>
      <section className="panel">
        <div className="row">
          <StateBadge state={test.state} testId="test-state" />
          <span className="small muted">
            {test.clients} clients in {test.testers.length} tester{test.testers.length === 1 ? "" : "s"} · {test.durationSec} s ·{" "}
            {test.scenario.ratePerClient} events/s each · {test.launcher} launcher · lesson {test.lessonId}
            {test.targetParticipantId ? ` · all in participant ${test.targetParticipantId}'s project` : ""}
          </span>
          <span className="spacer" />
          {finished ? (
            <Link className="button primary" href={`/load-tests/${test.id}/results`}>
              Results
            </Link>
          ) : null}
        </div>
        {test.error ? (
          <div className="alert" role="alert" style={{ marginTop: "0.8rem" }}>
            {test.error}
          </div>
        ) : null}
        {watchError ? (
          <div className="alert warn" style={{ marginTop: "0.8rem" }}>
            Live updates interrupted: {watchError}
          </div>
        ) : null}
        <p className="small muted">
          Target server: <code>{test.serverUrl}</code>
          {test.startAt ? ` · started ${new Date(test.startAt).toLocaleTimeString()}` : ""}
          {test.endAt ? ` · ends ${new Date(test.endAt).toLocaleTimeString()}` : ""}
        </p>
        <TestControls test={test} onChange={setTest} />
      </section>

      <section className="panel">
        <h2 style={{ marginTop: 0 }}>
          Testers{" "}
          <span className="small muted">
            {Object.entries(counts)
              .map(([state, n]) => `${n} ${state}`)
              .join(" · ")}
          </span>
        </h2>
        <table data-testid="testers">
          <thead>
            <tr>
              <th>Tester</th>
              <th className="num">Clients</th>
              <th>State</th>
              <th>Handle</th>
              <th>Registered</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {test.testers.map((t) => (
              <tr key={t.testerId}>
                <td>{t.testerId}</td>
                <td className="num">{t.clients}</td>
                <td>
                  <StateBadge state={t.state} testId={`tester-${t.testerId}`} />
                </td>
                <td className="small mono">{t.handle ?? "–"}</td>
                <td className="small">{t.registeredAt ? new Date(t.registeredAt).toLocaleTimeString() : "–"}</td>
                <td className="small">{t.error ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Live</h2>
        {latest ? (
          <div className="stats" style={{ marginBottom: "0.8rem" }}>
            <Stat label="acks in the last second" value={latest.acks} />
            <Stat label="p50 (ms)" value={latest.p50Ms} />
            <Stat label="p99 (ms)" value={latest.p99Ms} />
            <Stat label="sent" value={latest.sent} />
            <Stat label="errors" value={latest.errors} />
            <Stat label="busiest tester CPU %" value={latest.maxCpuPct} />
            <Stat label="its event-loop p99 (ms)" value={latest.maxLagP99Ms} />
          </div>
        ) : (
          <p className="muted small">Figures appear here each second once the test runs.</p>
        )}
        <LiveChart seconds={seconds} />
        <p className="note">
          Per-second percentiles merged from every tester&apos;s histograms of that second (never averaged across testers). A tester whose CPU
          or event-loop delay is high could not keep its schedule: latency then includes its own queueing.
        </p>
      </section>
    </>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <span className="stat">
      <span className="value">{Number.isInteger(value) ? value : value.toFixed(2)}</span>
      <span className="label">{label}</span>
    </span>
  );
}
