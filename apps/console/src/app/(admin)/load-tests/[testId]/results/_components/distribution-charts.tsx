"use client";

import { useEffect, useState } from "react";
import { decodeHdrBase64, logBins, percentileSpectrum, type HdrHistogram } from "~/lib/hdr-histogram";
import type { Highcharts as HighchartsNs } from "~/lib/highcharts";
import { describeKey } from "~/lib/results-view";
import { Chart } from "../../../../_components/chart";

const US_PER_MS = 1000;
/** x of a percentile on the spectrum's axis: 90 % → 1, 99 % → 2, 99.9 % → 3 … */
const nines = (p: number) => -Math.log10(1 - Math.min(p, 99.9999) / 100);

/**
 * The whole distribution from the merged HDR histograms (decoded in the browser): the percentile
 * spectrum of every event kind, and the histogram of one.
 */
export function DistributionCharts({ histograms }: { histograms: Record<string, string> }) {
  const [decoded, setDecoded] = useState<Record<string, HdrHistogram> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const keys = Object.keys(histograms);
  const [selected, setSelected] = useState(keys[0] ?? "");

  useEffect(() => {
    let cancelled = false;
    Promise.all(Object.entries(histograms).map(async ([key, base64]) => [key, await decodeHdrBase64(base64)] as const)).then(
      (entries) => !cancelled && setDecoded(Object.fromEntries(entries)),
      (e: unknown) => !cancelled && setError((e as Error).message),
    );
    return () => {
      cancelled = true;
    };
  }, [histograms]);

  if (keys.length === 0) return <p className="muted">No histograms.</p>;
  if (error) return <div className="alert">Could not read the histograms: {error}</div>;
  if (!decoded) return <p className="muted small">reading histograms…</p>;
  return (
    <div className="grid-2">
      <div>
        <h3>Percentile spectrum</h3>
        <SpectrumChart decoded={decoded} />
      </div>
      <div>
        <h3 className="row">
          Histogram of
          <select aria-label="histogram key" value={selected} onChange={(e) => setSelected(e.target.value)}>
            {keys.map((k) => (
              <option key={k} value={k}>
                {describeKey(k).label}
              </option>
            ))}
          </select>
        </h3>
        {decoded[selected] ? <HistogramChart key={selected} histogram={decoded[selected]} /> : null}
      </div>
    </div>
  );
}

function SpectrumChart({ decoded }: { decoded: Record<string, HdrHistogram> }) {
  const [options] = useState<HighchartsNs.Options>(() => ({
    chart: { type: "line", height: 380 },
    title: { text: undefined },
    xAxis: {
      title: { text: "percentile" },
      min: 0,
      max: 6,
      tickPositions: [0, 1, 2, 3, 4, 5, 6],
      labels: { formatter: (ctx) => ["0 %", "90 %", "99 %", "99.9 %", "99.99 %", "99.999 %", "max"][Number(ctx.value)] ?? "" },
    },
    yAxis: { title: { text: "latency (ms)" }, type: "logarithmic" },
    tooltip: { valueDecimals: 3, valueSuffix: " ms" },
    plotOptions: { series: { marker: { enabled: false }, animation: false } },
    series: Object.entries(decoded)
      .filter(([, h]) => h.totalCount > 0)
      .map(([key, h]) => ({
        type: "line" as const,
        id: `spectrum:${key}`,
        name: describeKey(key).label,
        dashStyle: describeKey(key).measure === "delivery" ? ("ShortDash" as const) : ("Solid" as const),
        data: percentileSpectrum(h).map(([p, us]) => ({ x: nines(p), y: Math.max(us / US_PER_MS, 0.001), name: `p${p}` })),
      })),
  }));
  return <Chart testId="percentile-spectrum" options={options} />;
}

function HistogramChart({ histogram }: { histogram: HdrHistogram }) {
  const [options] = useState<HighchartsNs.Options>(() => ({
    chart: { type: "column", height: 380 },
    title: { text: undefined },
    xAxis: { type: "logarithmic", title: { text: "latency (ms, log scale)" } },
    yAxis: { title: { text: "events" }, allowDecimals: false },
    legend: { enabled: false },
    tooltip: { pointFormat: "{point.custom.range}: <b>{point.y}</b>" },
    plotOptions: { column: { grouping: false, pointPadding: 0, groupPadding: 0, borderWidth: 0, animation: false } },
    series: [
      {
        type: "column",
        id: "histogram",
        name: "events",
        color: "#2f6fde",
        data: logBins(histogram).map((bin) => ({
          x: Math.sqrt(bin.low * bin.high) / US_PER_MS,
          y: bin.count,
          custom: { range: `${(bin.low / US_PER_MS).toFixed(3)}–${(bin.high / US_PER_MS).toFixed(3)} ms` },
        })),
      },
    ],
  }));
  return <Chart testId="latency-histogram" options={options} />;
}
