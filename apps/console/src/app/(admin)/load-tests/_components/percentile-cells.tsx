import { formatMs } from "~/lib/format";
import { PERCENTILE_COLUMNS } from "~/lib/results-view";
import type { LatencyRow } from "~/trpc/types";

/** The header cells of the percentile columns, in the order every results table shows them. */
export function PercentileHeaders() {
  return PERCENTILE_COLUMNS.map((c) => (
    <th key={c.key} className="num">
      {c.label}
    </th>
  ));
}

/** One row's percentile cells (ms); "–" where the row is missing. */
export function PercentileCells({ row }: { row: LatencyRow | undefined }) {
  return PERCENTILE_COLUMNS.map((c) => (
    <td key={c.key} className="num">
      {formatMs(row?.[c.key])}
    </td>
  ));
}
