"use client";

import { useEffect, useRef, useState } from "react";
import type { Highcharts as HighchartsNs } from "~/lib/highcharts";
import type { TrafficModel } from "~/lib/traffic-model";
import { Chart } from "../../../../_components/chart";

const KEEP_POINTS = 180;

/**
 * Messages per second: this lesson's traces received (divided by the sampling rate to estimate
 * the lesson's whole rate) and each instance's own WebSocket frame rates from its heartbeats
 * (all lessons, not sampled).
 */
export function RateChart({ model, frame, sampleRate }: { model: TrafficModel; frame: number; sampleRate: number }) {
  const chartRef = useRef<HighchartsNs.Chart | null>(null);
  const lastSecond = useRef(0);
  const [options] = useState<HighchartsNs.Options>(() => ({
    chart: { type: "line", height: 320, animation: false },
    title: { text: undefined },
    xAxis: { type: "datetime" },
    yAxis: { title: { text: "messages / s" }, min: 0, allowDecimals: false },
    legend: { enabled: true },
    plotOptions: { series: { marker: { enabled: false }, animation: false } },
    series: [{ type: "line", id: "traces", name: "sampled traces / s ÷ sampling rate", data: [] }],
  }));

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    // Only whole seconds that are over: the current one is still filling.
    const second = Math.floor(Date.now() / 1000) - 1;
    if (second <= lastSecond.current) return;
    const first = lastSecond.current === 0 ? second : lastSecond.current + 1;
    lastSecond.current = second;
    const traces = chart.get("traces") as HighchartsNs.Series;
    for (let s = first; s <= second; s++) {
      traces.addPoint([s * 1000, model.tracesInSecond(s) / sampleRate], false, traces.data.length >= KEEP_POINTS);
    }
    for (const instance of model.instances.values()) {
      for (const [direction, value] of [
        ["in", instance.messagesInPerSec],
        ["out", instance.messagesOutPerSec],
      ] as const) {
        if (value === undefined) continue;
        const id = `instance:${instance.id}:${direction}`;
        const series =
          (chart.get(id) as HighchartsNs.Series | undefined) ??
          chart.addSeries(
            { type: "line", id, name: `${instance.id} frames ${direction} (all lessons)`, dashStyle: direction === "in" ? "ShortDash" : "Dot", data: [] },
            false,
          );
        series.addPoint([second * 1000, value], false, series.data.length >= KEEP_POINTS);
      }
    }
    chart.redraw(false);
  }, [frame, model, sampleRate]);

  return (
    <Chart
      testId="rate-chart"
      options={options}
      onReady={(chart) => {
        chartRef.current = chart;
      }}
    />
  );
}
