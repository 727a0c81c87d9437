import type { ClientSpec, SystemName } from "../driver/protocol.js";
import type { ServerMemory } from "../servers/server-process.js";

/**
 * A scenario's shape, independent of the system: rooms (with the participant whose project each
 * is, for Cohort), and clients that watch rooms and send to one. Each system maps it to its own
 * rooms, documents or projects.
 */
export interface Topology {
  rooms: { name: string; owner: "teacher" | number }[];
  clients: { role: "teacher" | "student"; watch: string[]; send?: { room: string; file: string } | undefined }[];
}

export interface PreparedRun {
  clients: ClientSpec[];
  /** Join storm (Cohort): the lesson everyone joins. */
  lessonId?: number | undefined;
}

/** A started system: its server process, and how to turn a scenario into client specs. */
export interface SystemUnderTest {
  name: SystemName;
  /** Pid of the server process (CPU and RSS are read from /proc). */
  pid: number;
  /** Epoch ms when the server process was spawned (a CPU profile starts about then). */
  spawnedAt: number;
  url: string;
  /** Cohort only: GET /metrics. */
  metricsUrl?: string | undefined;
  /** Full GC in the server, then its memory (bench preload; see servers/gc-on-signal.mjs). */
  memory(): Promise<ServerMemory | undefined>;
  prepare(topology: Topology): Promise<PreparedRun>;
  /** Join storm: `clients` clients that each join and sync their own project of `files` files. */
  prepareJoin(clients: number): Promise<PreparedRun>;
  stop(): Promise<void>;
}

let scope = 0;

/** Baselines need no data: rooms only get a prefix unique to the run, so runs never mix. */
export function plainClients(topology: Topology): ClientSpec[] {
  const tag = `s${++scope}`;
  return topology.clients.map((client, index) => ({
    index,
    watch: client.watch.map((room) => `${tag}/${room}`),
    send: client.send ? { room: `${tag}/${client.send.room}`, file: client.send.file } : undefined,
  }));
}

export function plainJoinClients(clients: number): ClientSpec[] {
  const tag = `j${++scope}`;
  return Array.from({ length: clients }, (_, index) => ({ index, watch: [`${tag}/p${index}`] }));
}
