"use client";

import HighchartsReact from "highcharts-react-official";
import { Highcharts } from "~/lib/highcharts";

export interface HighchartsChartProps {
  options: Highcharts.Options;
  /** "stockChart" for time series with a navigator; "chart" otherwise. */
  constructorType?: "chart" | "stockChart";
  /** Gets the chart once created (for live updates without re-rendering React). */
  onReady?: (chart: Highcharts.Chart) => void;
  testId: string;
  className?: string;
}

export default function HighchartsChart({ options, constructorType = "chart", onReady, testId, className = "chart" }: HighchartsChartProps) {
  return (
    <div data-testid={testId} className={className}>
      <HighchartsReact highcharts={Highcharts} options={options} constructorType={constructorType} callback={onReady} immutable={false} />
    </div>
  );
}
