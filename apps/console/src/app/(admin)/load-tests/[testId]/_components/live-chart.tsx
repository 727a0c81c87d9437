"use client";

import { useEffect, useRef, useState } from "react";
import type { Highcharts as HighchartsNs } from "~/lib/highcharts";
import type { LiveSecond } from "~/trpc/types";
import { Chart } from "../../../_components/chart";

function draw(chart: HighchartsNs.Chart, seconds: LiveSecond[]) {
  const set = (id: string, data: [number, number][]) => (chart.get(id) as HighchartsNs.Series | undefined)?.setData(data, false, false, false);
  set("acks", seconds.map((s) => [s.second * 1000, s.acks]));
  set("p50", seconds.map((s) => [s.second * 1000, s.p50Ms]));
  set("p99", seconds.map((s) => [s.second * 1000, s.p99Ms]));
  chart.redraw(false);
}

/** Acks per second and that second's p50/p99 while the test runs. */
export function LiveChart({ seconds }: { seconds: LiveSecond[] }) {
  const chartRef = useRef<HighchartsNs.Chart | null>(null);
  const [options] = useState<HighchartsNs.Options>(() => ({
    chart: { height: 300, animation: false },
    title: { text: undefined },
    xAxis: { type: "datetime" },
    yAxis: [
      { title: { text: "latency (ms)" }, min: 0 },
      { title: { text: "acks / s" }, min: 0, opposite: true, allowDecimals: false },
    ],
    // Markers left to Highcharts: shown while points are few (the first seconds), hidden when dense.
    plotOptions: { series: { animation: false } },
    series: [
      { type: "column", id: "acks", name: "acks / s", yAxis: 1, data: [], color: "#c9d6f2" },
      { type: "line", id: "p50", name: "p50", data: [], color: "#2f6fde" },
      { type: "line", id: "p99", name: "p99", data: [], color: "#c53030" },
    ],
  }));

  useEffect(() => {
    if (chartRef.current) draw(chartRef.current, seconds);
  }, [seconds]);

  return (
    <Chart
      testId="live-chart"
      options={options}
      onReady={(chart) => {
        chartRef.current = chart;
        // Seconds may have arrived while the chart module loaded.
        draw(chart, seconds);
      }}
    />
  );
}
