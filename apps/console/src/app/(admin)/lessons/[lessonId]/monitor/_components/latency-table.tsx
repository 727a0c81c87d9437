"use client";

import { LATENCY_PARTS, LIVE_PERCENTILES, type TrafficModel } from "~/lib/traffic-model";
import { formatMs } from "~/lib/format";

/** Stamps are whole milliseconds: show them as such rather than with invented decimals. */
const showMs = (v: number) => (Number.isInteger(v) ? String(v) : formatMs(v));

/**
 * Live percentiles from the trace stamps of the last 30 s. Exact over the sampled traces (a sorted
 * window, never averaged); what they can and cannot say is spelled out under the table.
 */
export function LatencyTable({ model, frame }: { model: TrafficModel; frame: number }) {
  const rows = model.latencyRows(Date.now());
  return (
    <div data-frame={frame}>
      {rows.length === 0 ? (
        <p className="muted">No traced messages yet. Traces appear when clients send mutations with trace stamps.</p>
      ) : (
        <table data-testid="live-latency">
          <thead>
            <tr>
              <th>Event</th>
              <th>Part (ms)</th>
              <th className="num">n</th>
              {LIVE_PERCENTILES.map((p) => (
                <th key={p} className="num">
                  {p === 100 ? "max" : `p${p}`}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.flatMap(({ event, parts }) =>
              LATENCY_PARTS.map(({ key, label }, i) => (
                <tr key={`${event}:${key}`}>
                  <td>{i === 0 ? <strong>{event}</strong> : null}</td>
                  <td className="small">{label}</td>
                  <td className="num">{parts[key].count}</td>
                  {parts[key].values.map((v, j) => (
                    <td key={j} className="num">
                      {showMs(v)}
                    </td>
                  ))}
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      <p className="note">
        Exact nearest-rank percentiles of the sampled traces received in the last 30 s (a sorted window, not an HDR histogram and not an
        average of averages). t2 and t3 are stamped by the same server, so &ldquo;in server&rdquo; is exact. t1 is the sending
        client&apos;s clock: &ldquo;send → receive&rdquo; and &ldquo;send → emit&rdquo; include that client&apos;s clock offset (its SDK
        estimates it with session.timeSync; the uncertainty is about half its best round trip) and can even be negative. Delivery to the
        receiver (t4) is measured by receiving clients and load testers, not here.
      </p>
    </div>
  );
}
