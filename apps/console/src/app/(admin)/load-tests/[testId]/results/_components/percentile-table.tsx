import { formatCount, formatMs } from "~/lib/format";
import { describeKey } from "~/lib/results-view";
import type { LatencyRow } from "~/trpc/types";
import { PercentileCells, PercentileHeaders } from "../../../_components/percentile-cells";

/** One row per histogram key; values in ms. */
export function PercentileTable({ rows }: { rows: LatencyRow[] }) {
  if (rows.length === 0) return <p className="muted">No latencies recorded (no tester reported).</p>;
  return (
    <table data-testid="percentiles">
      <thead>
        <tr>
          <th>Event</th>
          <th>Measure</th>
          <th className="num">count</th>
          <th className="num">mean</th>
          <PercentileHeaders />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const { kind, measure } = describeKey(row.key);
          return (
            <tr key={row.key} data-key={row.key}>
              <td>{kind}</td>
              <td className="small muted">{measure}</td>
              <td className="num">{formatCount(row.count)}</td>
              <td className="num">{formatMs(row.meanMs)}</td>
              <PercentileCells row={row} />
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
