import { describe, expect, it } from "vitest";
import { renderResultsTable } from "./cli-table.js";
import { mergeReports } from "./stats/merge-reports.js";
import { reportWithSamples } from "./testing/fixtures.js";

describe("renderResultsTable", () => {
  it("shows percentiles per kind, totals, errors and warnings", () => {
    const a = reportWithSamples("a", [1_000, 2_000, 250_000]);
    const b = reportWithSamples("b", [3_000], { process: { cpuPct: [99], lagP99Ms: [80], saturated: true, reason: "busy" } });
    b.counters.errors = { TIMEOUT: 2 };
    b.counters.byKind.edit = { sent: 3, acked: 1, errors: 2 };
    const text = renderResultsTable(mergeReports([a, b]));
    expect(text).toContain("Test 7 · 2 testers · 20 clients · 60.0 s");
    const lines = text.split("\n");
    expect(lines[2]).toMatch(/^event\s+count\s+errors\s+p50 ms\s+p90 ms\s+p99 ms\s+p99\.9 ms\s+max ms\s+mean ms$/);
    expect(lines[3]).toMatch(/^edit\s+4\s+2\s+2\.00\s+250\.1\s+250\.1\s+250\.1\s+250\.1\s+64\.0$/);
    expect(text).toContain("errors 2 (TIMEOUT 2)");
    expect(text).toMatch(/WARNING: saturated testers \(b\)/);
  });

  it("adds an 'all' row over the event kinds, and dashes for empty histograms", () => {
    const r = reportWithSamples("a", [1_000]);
    const other = reportWithSamples("x", [2_000]);
    r.histograms.cursor = other.histograms.edit as string;
    r.histograms["cursor.delivery"] = other.histograms.edit as string;
    const text = renderResultsTable(mergeReports([r]), { percentiles: [50] });
    expect(text).toMatch(/^cursor\s+1\s+0\s+2\.00\s+2\.00$/m);
    expect(text).toMatch(/^all\s+2\s+0\s+1\.00\s+1\.50$/m);
    expect(text).toMatch(/^cursor\.delivery\s+1/m);
  });
});
