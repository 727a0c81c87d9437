import { SlidingPercentiles } from "./sliding-percentiles";

/** One sampled message as monitor.watch reports it (API.md, monitor). */
export interface TraceSample {
  id: string;
  event: string;
  from: number;
  to?: number | null | undefined;
  instance: string;
  /** Stamps are absent on messages the client did not trace. */
  t1?: number | null | undefined;
  t2?: number | null | undefined;
  t3?: number | null | undefined;
  size: number;
}

export interface InstanceStatus {
  id: string;
  connections?: number | undefined;
  messagesInPerSec?: number | undefined;
  messagesOutPerSec?: number | undefined;
  lastBeatAt?: number | undefined;
}

export interface TrafficLink {
  from: string;
  to: string;
  count: number;
  lastAt: number;
}

/** Latency parts a trace allows (ms). Only t2→t3 is measured on one clock. */
export const LATENCY_PARTS = [
  { key: "total", label: "send → emit (t3 − t1)" },
  { key: "uplink", label: "send → receive (t2 − t1)" },
  { key: "server", label: "in server (t3 − t2)" },
] as const;
export type LatencyPart = (typeof LATENCY_PARTS)[number]["key"];

export const LIVE_PERCENTILES = [50, 90, 99, 100] as const;

export const participantNode = (id: number) => `p:${id}`;
export const instanceNode = (id: string) => `i:${id}`;

/**
 * What the live monitor knows about a lesson's traffic: who talks through which server instance,
 * how fast, and with what latency. Pure state (no React, no Highcharts) so it can be tested and
 * drawn at a steady frame rate whatever the message rate.
 */
export class TrafficModel {
  readonly instances = new Map<string, InstanceStatus>();
  readonly participants = new Map<number, { lastAt: number; messages: number }>();
  readonly links = new Map<string, TrafficLink>();
  /** Bumped whenever a node or link appears, so the graph only re-lays out then. */
  topologyVersion = 0;
  traces = 0;
  /** Traces the instances left out (their per-second cap), as their sampling notices say. */
  droppedBySampling = 0;
  readonly byEvent = new Map<string, Record<LatencyPart, SlidingPercentiles>>();
  private readonly perSecond = new Map<number, number>();

  constructor(private readonly windowMs = 30_000) {}

  addTrace(trace: TraceSample, receivedAt: number): void {
    this.traces++;
    this.touchInstance(trace.instance);
    this.touchParticipant(trace.from, receivedAt);
    this.touchLink(participantNode(trace.from), instanceNode(trace.instance), receivedAt);
    if (trace.to != null && trace.to > 0) {
      this.touchParticipant(trace.to, receivedAt);
      this.touchLink(instanceNode(trace.instance), participantNode(trace.to), receivedAt);
    }
    const second = Math.floor(receivedAt / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);

    const { t1, t2, t3 } = trace;
    const parts: Partial<Record<LatencyPart, number>> = {};
    if (t1 != null && t2 != null) parts.uplink = t2 - t1;
    if (t2 != null && t3 != null) parts.server = t3 - t2;
    if (t1 != null && t3 != null) parts.total = t3 - t1;
    if (Object.keys(parts).length === 0) return;
    for (const key of [trace.event, "all"]) {
      const windows = this.windowsOf(key);
      for (const [part, value] of Object.entries(parts) as [LatencyPart, number][]) windows[part].add(value, receivedAt);
    }
  }

  addInstanceBeat(beat: { instanceId: string; connections: number; messagesInPerSec: number; messagesOutPerSec: number }, receivedAt: number): void {
    const status = this.touchInstance(beat.instanceId);
    status.connections = beat.connections;
    status.messagesInPerSec = beat.messagesInPerSec;
    status.messagesOutPerSec = beat.messagesOutPerSec;
    status.lastBeatAt = receivedAt;
  }

  addSamplingNotice(notice: { dropped: number }): void {
    this.droppedBySampling += notice.dropped;
  }

  /** Traces received in the whole second `second` (epoch s). */
  tracesInSecond(second: number): number {
    return this.perSecond.get(second) ?? 0;
  }

  /** Percentile rows per event type ("all" first) over the window. */
  latencyRows(now: number) {
    const keys = [...this.byEvent.keys()].sort((a, b) => (a === "all" ? -1 : b === "all" ? 1 : a.localeCompare(b)));
    return keys.map((event) => {
      const windows = this.byEvent.get(event) as Record<LatencyPart, SlidingPercentiles>;
      const parts = Object.fromEntries(LATENCY_PARTS.map(({ key }) => [key, windows[key].read(now, LIVE_PERCENTILES)])) as Record<
        LatencyPart,
        { count: number; values: number[] }
      >;
      return { event, parts };
    });
  }

  /** Drops per-second counts older than `keepSeconds`. */
  prune(now: number, keepSeconds = 300): void {
    const oldest = Math.floor(now / 1000) - keepSeconds;
    for (const second of this.perSecond.keys()) if (second < oldest) this.perSecond.delete(second);
  }

  private windowsOf(key: string): Record<LatencyPart, SlidingPercentiles> {
    let windows = this.byEvent.get(key);
    if (!windows) {
      windows = {
        total: new SlidingPercentiles(this.windowMs),
        uplink: new SlidingPercentiles(this.windowMs),
        server: new SlidingPercentiles(this.windowMs),
      };
      this.byEvent.set(key, windows);
    }
    return windows;
  }

  private touchInstance(id: string): InstanceStatus {
    let status = this.instances.get(id);
    if (!status) {
      status = { id };
      this.instances.set(id, status);
      this.topologyVersion++;
    }
    return status;
  }

  private touchParticipant(id: number, at: number) {
    const known = this.participants.get(id);
    if (known) {
      known.lastAt = at;
      known.messages++;
      return;
    }
    this.participants.set(id, { lastAt: at, messages: 1 });
    this.topologyVersion++;
  }

  private touchLink(from: string, to: string, at: number) {
    const key = `${from}>${to}`;
    const link = this.links.get(key);
    if (link) {
      link.count++;
      link.lastAt = at;
      return;
    }
    this.links.set(key, { from, to, count: 1, lastAt: at });
    this.topologyVersion++;
  }
}

export const OTHERS_NODE = "p:others";

export interface GraphView {
  instances: string[];
  /** Shown participants, most recently active first. */
  participants: number[];
  /** Participants folded into the "others" node. */
  others: number;
  links: TrafficLink[];
}

/**
 * What the graph draws: every instance, the `maxParticipants` most recently active participants,
 * and one "others" node standing for the rest (a load test has thousands; a force layout of them
 * would be unreadable and slow). Links of folded participants are merged into the others' links.
 */
export function graphView(model: TrafficModel, maxParticipants: number): GraphView {
  const ranked = [...model.participants.entries()].sort(([, a], [, b]) => b.lastAt - a.lastAt).map(([id]) => id);
  const shown = new Set(ranked.slice(0, maxParticipants));
  const fold = (node: string) => (node.startsWith("p:") && !shown.has(Number(node.slice(2))) ? OTHERS_NODE : node);
  const links = new Map<string, TrafficLink>();
  for (const link of model.links.values()) {
    const from = fold(link.from);
    const to = fold(link.to);
    const key = `${from}>${to}`;
    const merged = links.get(key);
    if (merged) {
      merged.count += link.count;
      merged.lastAt = Math.max(merged.lastAt, link.lastAt);
    } else {
      links.set(key, { from, to, count: link.count, lastAt: link.lastAt });
    }
  }
  return { instances: [...model.instances.keys()], participants: [...shown], others: ranked.length - shown.size, links: [...links.values()] };
}
