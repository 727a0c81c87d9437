import type { Marker } from "../marker.js";
import type { ClientSpec, DriverSpec, Kind } from "../protocol.js";
import type { Stage } from "../stages.js";

/** What a system's client adapter reports back to the driver. */
export interface BenchClientContext {
  spec: DriverSpec;
  client: ClientSpec;
  /** A message reached this client; Cohort adds where its latency went, from the event's trace. */
  deliver(marker: Marker, at: number, stages?: Record<Stage, number>): void;
  /** A payload arrived in which no marker could be read. */
  unattributed(): void;
  /** Cohort: the subscription was reset (lost its place in the log). */
  reset(): void;
  /** A send failed (rejected, or the connection was down). */
  sendFailed(error: unknown): void;
  /** Epoch ms with µs resolution (the same clock in every process of the machine). */
  now(): number;
}

/** One virtual client of one system. */
export interface BenchClient {
  /** Connects and joins the watched rooms; resolves once deliveries to this client are certain. */
  connect(): Promise<void>;
  /** Sends message `kseq` of `kind` to the client's send room, stamped with its intended time. */
  send(kind: Kind, kseq: number, intendedAt: number): void;
  /** Join mode: connect, join and fetch the whole project; resolves with the number of files received. */
  joinAndSync(): Promise<number>;
  close(): Promise<void>;
}

export type BenchClientFactory = (context: BenchClientContext) => BenchClient;

/** Filler so that baseline messages are about as large as an edit event. */
export function padding(bytes: number): string {
  return "x".repeat(Math.max(0, bytes));
}
