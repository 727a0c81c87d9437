import type { ProcessStats } from "@cohort/loadtest";
import type { Stage } from "./stages.js";

/** The systems under test. */
export const SYSTEMS = ["ws", "socketio", "hocuspocus", "cohort"] as const;
export type SystemName = (typeof SYSTEMS)[number];

/** What a virtual client sends: a document edit, or a cursor move (presence). */
export const KINDS = ["edit", "cursor"] as const;
export type Kind = (typeof KINDS)[number];

/**
 * One virtual client. A room is what every system fans out over: a ws/Socket.IO room, a
 * Hocuspocus document, a Cohort project (`<lessonId>:<ownerId>`). A client receives every message
 * sent to the rooms it watches (except its own) and sends to at most one room.
 */
export interface ClientSpec {
  /** Global index, from 0; the sender id in every message. */
  index: number;
  watch: string[];
  send?: { room: string; file: string } | undefined;
  /** Cohort: the user's JWT. */
  token?: string | undefined;
  /** Cohort: this client's server, when several instances share the run (soak). */
  url?: string | undefined;
}

export interface TrafficSpec {
  /** Events per second per sending client (edits and cursors together). */
  ratePerClient: number;
  /** Share of edits and cursor moves. */
  weights: Record<Kind, number>;
  durationMs: number;
  seed: number;
  arrival: "poisson" | "uniform";
}

export interface DriverSpec {
  system: SystemName;
  /** WebSocket URL of the server. */
  url: string;
  /**
   * `stream`: connect, then send on the open-loop schedule and record deliveries;
   * `join`: at the start time every client connects, joins and syncs a project;
   * `idle`: connect and hold the connection until told to stop.
   */
  mode: "stream" | "join" | "idle";
  /** Every client of the run (drivers need the whole topology to know what to expect). */
  clients: ClientSpec[];
  /** This driver's clients: indices [from, to). */
  own: { from: number; to: number };
  traffic?: TrafficSpec | undefined;
  /** Join mode: the lesson to join (Cohort) and the number of files a synced project has. */
  join?: { lessonId?: number | undefined; files: number } | undefined;
  /** Clients connecting at once (connection storms are their own scenario). */
  connectConcurrency: number;
  /** After the last send, how long to wait at most for stragglers. */
  drainMs: number;
  /** Bytes of padding in ws and Socket.IO messages, so their size resembles an edit event. */
  padBytes: number;
  /** Upper bound on the whole driver's life, whatever happens. */
  deadlineMs: number;
  /** Idle mode: connect the clients in this many equal steps, each confirmed with "ready" and continued on "next". */
  idlePhases?: number | undefined;
}

export interface DeliveryCounts {
  sent: Record<Kind, number>;
  expected: Record<Kind, number>;
  received: Record<Kind, number>;
  duplicates: number;
  /** Messages no marker could be read from (should be 0). */
  unattributed: number;
  /** Cohort `reset` events (a subscription lost its place). */
  resets: number;
  sendErrors: number;
  receiversShort: number;
}

export interface DriverReport {
  driver: number;
  clients: number;
  connectFailures: number;
  counts: DeliveryCounts;
  /** HDR histograms, compressed base64, µs. */
  latency: string;
  latencyByKind: Record<Kind, string>;
  /** Actual send time − intended send time (how late the generator itself was). */
  sendLag: string;
  /** Cohort: receive latency split by trace stamps, per delivered event (empty histograms for the other systems). */
  stages?: Record<Stage, string> | undefined;
  /** Join mode: time from the common start to synced, µs. */
  joinTimes?: string | undefined;
  joinFailures?: number | undefined;
  process: ProcessStats;
  errors: string[];
}

export type ToDriver = { type: "spec"; spec: DriverSpec; driver: number } | { type: "go"; startAt: number } | { type: "next" } | { type: "stop" };

export type FromDriver =
  | { type: "ready"; connected: number; failed: number }
  | { type: "report"; report: DriverReport }
  | { type: "fatal"; message: string };
