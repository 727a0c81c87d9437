"use client";

import { useEffect, useState } from "react";
import { TrafficModel } from "~/lib/traffic-model";
import { errorMessage, useApiSubscription } from "~/trpc/react";
import { LatencyTable } from "./latency-table";
import { RateChart } from "./rate-chart";
import { TrafficGraph } from "./traffic-graph";

const SAMPLE_RATES = [1, 0.5, 0.1, 0.01] as const;
/** Redraw cadence: the model takes every message, the screen only this often. */
const FRAME_MS = 500;

/**
 * A lesson's traffic as monitor.watch reports it. Messages go into a plain model as they arrive;
 * the charts read it on a fixed frame, so a busy lesson costs the browser the same as a quiet one.
 */
export function MonitorView({ lessonId }: { lessonId: number }) {
  const [sampleRate, setSampleRate] = useState<number>(1);
  const [model] = useState(() => new TrafficModel());
  const [frame, setFrame] = useState(0);
  const [status, setStatus] = useState<{ state: "connecting" | "live" | "ended" | "error"; message?: string }>({ state: "connecting" });

  useApiSubscription(
    (api) =>
      api.monitor.watch.subscribe(
        { lessonId, sampleRate },
        {
          onStarted: () => setStatus({ state: "live" }),
          onData: (event) => {
            const now = Date.now();
            if (event.type === "instance") model.addInstanceBeat(event, now);
            else if (event.type === "trace") model.addTrace(event, now);
            else if (event.type === "sampling") model.addSamplingNotice(event);
          },
          onError: (error) => setStatus({ state: "error", message: errorMessage(error) }),
          onComplete: () => setStatus({ state: "ended" }),
        },
      ),
    [lessonId, sampleRate, model],
  );

  useEffect(() => {
    const timer = setInterval(() => {
      model.prune(Date.now());
      setFrame((f) => f + 1);
    }, FRAME_MS);
    return () => clearInterval(timer);
  }, [model]);

  return (
    <>
      <div className="panel row">
        <span className={`badge ${status.state === "live" ? "ok" : status.state === "error" ? "bad" : "pending"}`} data-testid="monitor-state">
          {status.state}
        </span>
        {status.message ? <span className="field-error">{status.message}</span> : null}
        <span className="spacer" />
        <span className="stat">
          <span className="value" data-testid="trace-count">
            {model.traces}
          </span>
          <span className="label">traces received</span>
        </span>
        <span className="stat">
          <span className="value">{model.droppedBySampling}</span>
          <span className="label">left out by the per-instance cap</span>
        </span>
        <label>
          Sampling
          <select value={sampleRate} onChange={(e) => setSampleRate(Number(e.target.value))}>
            {SAMPLE_RATES.map((rate) => (
              <option key={rate} value={rate}>
                {rate === 1 ? "every message" : `${rate * 100} %`}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid-2">
        <section className="panel">
          <h2 style={{ marginTop: 0 }}>Who talks through which server</h2>
          <TrafficGraph model={model} frame={frame} />
          <p className="note">
            Squares are server instances, circles are participants (P + participant id). A link lights up for a second after a sampled
            message crosses it: sender → instance that handled it → owner of the project it is about.
          </p>
        </section>
        <section className="panel">
          <h2 style={{ marginTop: 0 }}>Message rate</h2>
          <RateChart model={model} frame={frame} sampleRate={sampleRate} />
        </section>
      </div>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Latency, last 30 s</h2>
        <LatencyTable model={model} frame={frame} />
      </section>
    </>
  );
}
