"use client";

import { useState } from "react";
import type { Highcharts as HighchartsNs } from "~/lib/highcharts";
import type { LoadTestResults } from "~/trpc/types";
import { Chart } from "../../../../_components/chart";

/**
 * p50–p99 band per second (Highcharts Stock for the navigator). Data grouping is off everywhere:
 * grouping would average neighbouring seconds' percentiles, which means nothing.
 */
export function LatencyOverTimeChart({ overTime }: { overTime: LoadTestResults["overTime"] }) {
  const [options] = useState<HighchartsNs.Options>(() => {
    const t = (s: { second: number }) => s.second * 1000;
    return {
      chart: { height: 420 },
      title: { text: undefined },
      rangeSelector: { enabled: false },
      navigator: { enabled: overTime.length > 30, series: { dataGrouping: { enabled: false } } },
      scrollbar: { enabled: false },
      legend: { enabled: true },
      tooltip: { shared: true, valueDecimals: 2 },
      plotOptions: { series: { dataGrouping: { enabled: false }, animation: false } },
      yAxis: [
        { title: { text: "latency (ms)" }, min: 0, opposite: false, height: "70%" },
        { title: { text: "acks / s" }, min: 0, opposite: false, top: "74%", height: "26%", offset: 0, allowDecimals: false },
      ],
      series: [
        { type: "arearange", id: "band", name: "p50–p99", data: overTime.map((s) => [t(s), s.p50Ms, s.p99Ms]), color: "#2f6fde", fillOpacity: 0.18, lineWidth: 0 },
        { type: "line", id: "p50", name: "p50", data: overTime.map((s) => [t(s), s.p50Ms]), color: "#2f6fde" },
        { type: "line", id: "p99", name: "p99", data: overTime.map((s) => [t(s), s.p99Ms]), color: "#c53030" },
        { type: "column", id: "count", name: "acks / s", yAxis: 1, data: overTime.map((s) => [t(s), s.count]), color: "#9aa7bd" },
      ],
    };
  });
  if (overTime.length === 0) return <p className="muted">No per-second figures.</p>;
  return <Chart testId="latency-over-time" constructorType="stockChart" className="chart-tall" options={options} />;
}
