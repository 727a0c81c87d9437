import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CallObserver } from "@cohort/api";

/** Prometheus metrics of one server instance, served at GET /metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "cohort_process_" });
  const connections = new Gauge({ name: "cohort_ws_connections", help: "Open WebSocket connections", registers: [registry] });
  const messagesIn = new Counter({ name: "cohort_ws_messages_in_total", help: "WebSocket frames received", registers: [registry] });
  const messagesOut = new Counter({ name: "cohort_ws_messages_out_total", help: "WebSocket frames sent", registers: [registry] });
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

  return { registry, connections, messagesIn, messagesOut, refused, observe };
}

export type Metrics = ReturnType<typeof createMetrics>;
