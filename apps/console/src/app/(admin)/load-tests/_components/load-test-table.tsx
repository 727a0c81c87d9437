"use client";

import Link from "next/link";
import { useState } from "react";
import type { LoadTest } from "~/trpc/types";
import { StateBadge } from "./state-badge";

const FINISHED = new Set(["done", "stopped", "failed"]);

/** Every test with its state; tick two finished ones to compare their percentiles. */
export function LoadTestTable({ tests }: { tests: LoadTest[] }) {
  const [picked, setPicked] = useState<number[]>([]);
  const toggle = (id: number) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  if (tests.length === 0) return <p className="muted">No load tests yet.</p>;
  return (
    <>
      <table data-testid="load-tests">
        <thead>
          <tr>
            <th>Compare</th>
            <th>Test</th>
            <th>State</th>
            <th>Lesson</th>
            <th className="num">Clients</th>
            <th className="num">Testers</th>
            <th className="num">Duration</th>
            <th>Launcher</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tests.map((test) => (
            <tr key={test.id} data-test-id={test.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`compare test ${test.id}`}
                  checked={picked.includes(test.id)}
                  disabled={!FINISHED.has(test.state)}
                  onChange={() => toggle(test.id)}
                />
              </td>
              <td>
                <Link href={`/load-tests/${test.id}`}>#{test.id}</Link>
              </td>
              <td>
                <StateBadge state={test.state} />
              </td>
              <td>{test.lessonId}</td>
              <td className="num">{test.clients}</td>
              <td className="num">{test.testers.length}</td>
              <td className="num">{test.durationSec} s</td>
              <td>{test.launcher}</td>
              <td className="small">{new Date(test.createdAt).toLocaleString()}</td>
              <td>{FINISHED.has(test.state) ? <Link href={`/load-tests/${test.id}/results`}>Results</Link> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="row" style={{ marginTop: "0.8rem" }}>
        {picked.length === 2 ? (
          <Link className="button primary" href={`/load-tests/compare?a=${picked[0]}&b=${picked[1]}`}>
            Compare #{picked[0]} and #{picked[1]}
          </Link>
        ) : (
          <span className="muted small">Tick two finished tests to compare them.</span>
        )}
      </p>
    </>
  );
}
