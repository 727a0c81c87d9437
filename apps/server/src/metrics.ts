import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CallObserver } from "@cohort/api";

/** Prometheus metrics of one server instance, served at GET /metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "cohort_process_" });
  const connections = new Gauge({ name: "cohort_ws_connections", help: "Open WebSocket connections", registers: [registry] });
  // By procedure (tRPC path; a subscription's items count under it), "none" for messages about no
  // procedure and "unknown" for paths the router lacks. Keep-alive PING/PONG frames are not counted.
  const byProcedure = (direction: "in" | "out", verb: string) =>
    new Counter({ name: `cohort_ws_messages_${direction}_total`, help: `tRPC messages ${verb} over WebSocket, by procedure`, labelNames: ["procedure"], registers: [registry] });
  const messagesIn = byProcedure("in", "received");
  const messagesOut = byProcedure("out", "sent");
  const directFrames = new Counter({
    name: "cohort_ws_direct_frames_total",
    help: "Subscription items written straight to their socket, outside tRPC's per-item loop (project.watch over WebSocket)",
    registers: [registry],
  });
  const refused = new Counter({
    name: "cohort_ws_refused_total",
    help: "Connections refused at authentication, by reason",
    labelNames: ["reason"],
    registers: [registry],
  });
  const calls = new Counter({
    name: "cohort_calls_total",
    help: "Procedure calls by path, type and outcome code",
    labelNames: ["path", "type", "code"],
    registers: [registry],
  });
  const callSeconds = new Histogram({
    name: "cohort_call_duration_seconds",
    help: "Procedure handler time (subscriptions: time to first setup)",
    labelNames: ["path", "type"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });

  const observe: CallObserver = ({ path, type, ok, code, durationMs }) => {
    calls.inc({ path, type, code: ok ? "OK" : (code ?? "ERROR") });
    callSeconds.observe({ path, type }, durationMs / 1000);
  };

  return { registry, connections, messagesIn, messagesOut, directFrames, refused, observe };
}

export type Metrics = ReturnType<typeof createMetrics>;
