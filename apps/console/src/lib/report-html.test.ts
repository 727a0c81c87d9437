import { describe, expect, it } from "vitest";
import type { LoadTestResults } from "~/trpc/types";
import { renderReportHtml } from "./report-html.js";

const results = {
  testId: 7,
  final: true,
  state: "done",
  clients: 4,
  testers: { total: 2, reported: ["t0", "t1"], failed: [], saturated: [], aborted: [] },
  startedAt: 1_000_000,
  endedAt: 1_005_000,
  durationSec: 5,
  latency: [
    { key: "cursor", count: 10, meanMs: 4.2, p50Ms: 3.9, p90Ms: 5.3, p99Ms: 10.5, p999Ms: 10.5, maxMs: 10.5 },
    { key: "cursor.delivery", count: 10, meanMs: 9.2, p50Ms: 5.4, p90Ms: 10.8, p99Ms: 40.9, p999Ms: 40.9, maxMs: 40.9 },
  ],
  overTime: [
    { second: 1000, count: 3, p50Ms: 3, p99Ms: 9, byKey: {} },
    { second: 1001, count: 6, p50Ms: 4, p99Ms: 12, byKey: {} },
  ],
  throughput: { sent: 30, acked: 30, ackedPerSec: 6, deliveredPerSec: 4 },
  loss: { delivered: 20, lost: 0, duplicates: 0, outOfOrder: 0, lossRate: 0 },
  errors: { total: 1, byCode: { "<script>alert(1)</script>": 1 } },
  counters: {} as LoadTestResults["counters"],
  valid: true,
  warnings: ["</script><script>alert(2)</script>"],
  histograms: {},
  reports: { prefix: "loadtests/7/", keys: [] },
} satisfies LoadTestResults;

describe("renderReportHtml", () => {
  const html = renderReportHtml({ test: null, results, generatedAt: new Date(0) });

  it("is self-contained: inline SVG chart, no external resources, no executable script", () => {
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<(link|img|iframe)\b/);
    expect(html).not.toMatch(/\bsrc=/);
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="application/json" id="results">']);
  });

  it("shows the percentile rows and escapes what came from the server", () => {
    expect(html).toContain("<td>cursor</td><td class=\"muted\">delivery</td>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // The embedded JSON cannot close its script element early.
    const embedded = html.slice(html.indexOf('id="results">'));
    expect(embedded.indexOf("</script>")).toBe(embedded.lastIndexOf("</script>"));
  });
});
