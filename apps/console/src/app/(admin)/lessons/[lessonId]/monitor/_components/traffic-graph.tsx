"use client";

import { useEffect, useRef, useState } from "react";
import type { Highcharts as HighchartsNs } from "~/lib/highcharts";
import { graphView, OTHERS_NODE, type GraphView, type TrafficModel } from "~/lib/traffic-model";
import { Chart } from "../../../../_components/chart";

type LinkPoint = HighchartsNs.Point & { graphic?: HighchartsNs.SVGElement; options: { color?: string; width?: number; id?: string } };

/** Participants drawn one by one; the rest share one node. */
const MAX_PARTICIPANTS = 60;
/** The force layout reruns at most this often, however fast people come and go. */
const RELAYOUT_MS = 2_000;
const HOT_MS = 1_000;
const HOT = { color: "#2f6fde", width: 4 };
const COLD = { color: "#c3cad6", width: 1 };

function nodesOf(view: GraphView) {
  const instances = view.instances.map((id) => ({
    id: `i:${id}`,
    name: id.length > 18 ? `${id.slice(0, 16)}…` : id,
    color: "#18202e",
    marker: { symbol: "square", radius: 14 },
    mass: 4,
  }));
  const participants = view.participants.map((id) => ({ id: `p:${id}`, name: `P${id}`, color: "#2f6fde", marker: { symbol: "circle", radius: 8 } }));
  const others = view.others > 0 ? [{ id: OTHERS_NODE, name: `+${view.others} others`, color: "#7a869a", marker: { symbol: "circle", radius: 12 } }] : [];
  return [...instances, ...participants, ...others];
}

function linksOf(view: GraphView, now: number) {
  return view.links.map((link) => ({ id: `${link.from}>${link.to}`, from: link.from, to: link.to, ...(now - link.lastAt < HOT_MS ? HOT : COLD) }));
}

/**
 * Server instances and participants as a force-directed graph: sender → instance that handled the
 * message → owner of the project it is about. The layout reruns only when the drawn set of nodes
 * or links changes (at most every RELAYOUT_MS); lighting a link up changes its SVG attributes in
 * place, so the picture does not jump on every message.
 */
export function TrafficGraph({ model, frame }: { model: TrafficModel; frame: number }) {
  const chartRef = useRef<HighchartsNs.Chart | null>(null);
  const shown = useRef({ topology: "", at: 0 });
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
    const view = graphView(model, MAX_PARTICIPANTS);
    const topology = `${view.instances.join(",")}|${view.participants.join(",")}|${view.others > 0}|${view.links.map((l) => `${l.from}>${l.to}`).join(",")}`;
    if (topology !== shown.current.topology && now - shown.current.at >= RELAYOUT_MS) {
      shown.current = { topology, at: now };
      series.update({ type: "networkgraph", nodes: nodesOf(view), data: linksOf(view, now) }, true);
      return;
    }
    const links = new Map(view.links.map((l) => [`${l.from}>${l.to}`, l]));
    for (const point of series.points) {
      const link = links.get(point.options.id ?? "");
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
