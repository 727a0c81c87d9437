"use client";

import { useEffect, useRef, useState } from "react";
import type { Highcharts as HighchartsNs } from "~/lib/highcharts";
import { type TrafficModel } from "~/lib/traffic-model";
import { Chart } from "../../../../_components/chart";

type LinkPoint = HighchartsNs.Point & { from?: string; to?: string; graphic?: HighchartsNs.SVGElement; options: { color?: string; width?: number; id?: string } };

const HOT_MS = 1_000;
const HOT = { color: "#2f6fde", width: 4 };
const COLD = { color: "#c3cad6", width: 1 };

function nodesOf(model: TrafficModel) {
  const instances = [...model.instances.keys()].map((id) => ({
    id: `i:${id}`,
    name: id.length > 18 ? `${id.slice(0, 16)}…` : id,
    color: "#18202e",
    marker: { symbol: "square", radius: 14 },
    mass: 4,
  }));
  const participants = [...model.participants.keys()].map((id) => ({
    id: `p:${id}`,
    name: `P${id}`,
    color: "#2f6fde",
    marker: { symbol: "circle", radius: 8 },
  }));
  return [...instances, ...participants];
}

function linksOf(model: TrafficModel, now: number) {
  return [...model.links.values()].map((link) => ({
    id: `${link.from}>${link.to}`,
    from: link.from,
    to: link.to,
    ...(now - link.lastAt < HOT_MS ? HOT : COLD),
  }));
}

/**
 * Server instances and participants as a force-directed graph. The layout reruns only when a node
 * or link appears; lighting a link changes its SVG attributes in place, so the picture does not
 * jump on every message.
 */
export function TrafficGraph({ model, frame }: { model: TrafficModel; frame: number }) {
  const chartRef = useRef<HighchartsNs.Chart | null>(null);
  const shownTopology = useRef(-1);
  const [options] = useState<HighchartsNs.Options>(() => ({
    chart: { type: "networkgraph", height: 440, animation: false },
    title: { text: undefined },
    accessibility: { description: "Network graph of server instances and the participants sending messages through them." },
    tooltip: { enabled: false },
    plotOptions: {
      networkgraph: {
        keys: ["from", "to"],
        link: { color: COLD.color, width: COLD.width },
        layoutAlgorithm: { enableSimulation: true, linkLength: 80, friction: -0.9, maxIterations: 300 },
        dataLabels: { enabled: true, linkFormat: "", format: "{point.name}", style: { fontWeight: "normal", textOutline: "none" } },
      },
    },
    series: [{ type: "networkgraph", id: "traffic", name: "traffic", nodes: [], data: [] }],
  }));

  useEffect(() => {
    const chart = chartRef.current;
    const series = chart?.get("traffic") as (HighchartsNs.Series & { points: LinkPoint[] }) | undefined;
    if (!chart || !series) return;
    const now = Date.now();
    if (shownTopology.current !== model.topologyVersion) {
      shownTopology.current = model.topologyVersion;
      series.update({ type: "networkgraph", nodes: nodesOf(model), data: linksOf(model, now) }, true);
      return;
    }
    for (const point of series.points) {
      const link = model.links.get(point.options.id ?? "");
      if (!link) continue;
      const look = now - link.lastAt < HOT_MS ? HOT : COLD;
      if (point.options.color === look.color) continue;
      // In place: a series update would restart the force simulation.
      point.options.color = look.color;
      point.options.width = look.width;
      point.graphic?.attr({ stroke: look.color, "stroke-width": look.width });
    }
  }, [frame, model]);

  return (
    <Chart
      testId="traffic-graph"
      className="chart-tall"
      options={options}
      onReady={(chart) => {
        chartRef.current = chart;
      }}
    />
  );
}
