"use client";

import dynamic from "next/dynamic";

/** Highcharts needs a DOM: load it in the browser only, with a placeholder of the same size. */
export const Chart = dynamic(() => import("./highcharts-chart"), {
  ssr: false,
  loading: () => <div className="chart muted small">loading chart…</div>,
});
