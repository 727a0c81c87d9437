import { MinHeap } from "./min-heap.js";
import { createRandom, seedFrom } from "./random.js";
import { EVENT_KINDS, MAX_RATE_PER_CLIENT, zWeights, type EventKind } from "./scenario.js";

/** One event a virtual client is meant to send, and when. */
export interface ScheduledEvent {
  /** Index of the virtual client in this tester, from 0. */
  client: number;
  /** Per-client sequence number from 0, for loss and ordering checks at the receivers. */
  seq: number;
  kind: EventKind;
  /** Intended send time, epoch ms. Latency is measured from here, not from the actual send. */
  intendedAt: number;
}

/**
 * `poisson`: exponential gaps, like bursts of typing; clients never fall into step.
 * `uniform`: a constant rate with a random phase per client and jitter inside each period.
 */
export type Arrival = "poisson" | "uniform";

export interface ScheduleOptions {
  clients: number;
  /** Events per second per client. */
  ratePerClient: number;
  weights: Readonly<Record<EventKind, number>>;
  /** Epoch ms of the first possible event (the common start time). */
  startAt: number;
  durationMs: number;
  /** Same seed, same schedule. Give each tester its own, e.g. `seedFrom(testId, testerId)`. */
  seed: number;
  /** @default "poisson" */
  arrival?: Arrival;
  /**
   * For `uniform`: the share of a period by which an event may be delayed, in [0, 1).
   * @default 0.5
   */
  jitter?: number;
}

/**
 * An open-loop schedule: intended send times fixed in advance, independent of how fast the server
 * answers. Iterating it yields every client's events merged in time order; nothing is allocated
 * up front, so a 200-client, 10-minute test holds one pending event per client.
 */
export interface Schedule extends Iterable<ScheduledEvent> {
  readonly clients: number;
  readonly ratePerClient: number;
  readonly startAt: number;
  readonly durationMs: number;
  /** Epoch ms at and after which nothing is scheduled. */
  readonly endAt: number;
  readonly arrival: Arrival;
  /** Mean number of events (clients × rate × duration); the actual count varies with the seed. */
  readonly expectedEvents: number;
  /** One client's events in time order; the same whichever other clients exist. */
  forClient(client: number): IterableIterator<ScheduledEvent>;
}

export function createSchedule(options: ScheduleOptions): Schedule {
  const { clients, ratePerClient, startAt, durationMs, seed } = options;
  const arrival = options.arrival ?? "poisson";
  const jitter = options.jitter ?? 0.5;
  if (!Number.isInteger(clients) || clients < 0) throw new RangeError(`clients must be a non-negative integer, got ${clients}`);
  if (!(ratePerClient > 0 && ratePerClient <= MAX_RATE_PER_CLIENT)) {
    throw new RangeError(`ratePerClient must be in (0, ${MAX_RATE_PER_CLIENT}], got ${ratePerClient}`);
  }
  if (!Number.isFinite(startAt)) throw new RangeError("startAt must be an epoch time in ms");
  if (!(durationMs >= 0 && Number.isFinite(durationMs))) throw new RangeError(`durationMs must be >= 0, got ${durationMs}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!(jitter >= 0 && jitter < 1)) throw new RangeError(`jitter must be in [0, 1), got ${jitter}`);
  const pickKind = createKindPicker(zWeights.parse(options.weights));
  const endAt = startAt + durationMs;
  const periodMs = 1000 / ratePerClient;

  function* forClient(client: number): Generator<ScheduledEvent, void, undefined> {
    if (!Number.isInteger(client) || client < 0 || client >= clients) throw new RangeError(`no client ${client}`);
    // One stream per client (not one for all) keeps client i's schedule stable when the number of
    // clients changes, which makes runs comparable.
    const random = createRandom(seedFrom(seed, client));
    // A random phase keeps uniform clients from all sending at startAt in one burst.
    const phaseMs = random() * periodMs;
    let at = startAt;
    for (let seq = 0; ; seq++) {
      // Jitter stays below one period, so a client's events remain in order.
      at =
        arrival === "poisson"
          ? at - Math.log(1 - random()) * periodMs
          : startAt + phaseMs + seq * periodMs + random() * jitter * periodMs;
      if (at >= endAt) return;
      yield { client, seq, kind: pickKind(random()), intendedAt: at };
    }
  }

  return {
    clients,
    ratePerClient,
    startAt,
    durationMs,
    endAt,
    arrival,
    expectedEvents: clients * ratePerClient * (durationMs / 1000),
    forClient,
    [Symbol.iterator]: () => mergeByTime(Array.from({ length: clients }, (_, client) => forClient(client))),
  };
}

/** Maps a uniform number in [0, 1) to a kind, in proportion to the weights. */
function createKindPicker(weights: Readonly<Record<EventKind, number>>): (u: number) => EventKind {
  const total = EVENT_KINDS.reduce((sum, kind) => sum + weights[kind], 0);
  const bounds = EVENT_KINDS.map((kind) => weights[kind] / total);
  const lastPositive = EVENT_KINDS.findLast((kind) => weights[kind] > 0) as EventKind;
  return (u) => {
    let acc = 0;
    for (let i = 0; i < EVENT_KINDS.length; i++) {
      acc += bounds[i] as number;
      if (u < acc && (bounds[i] as number) > 0) return EVENT_KINDS[i] as EventKind;
    }
    // Rounding can leave the sum a hair below 1.
    return lastPositive;
  };
}

/** k-way merge: O(log clients) per event, and only one pending event per client in memory. */
function* mergeByTime(sources: Iterator<ScheduledEvent>[]): Generator<ScheduledEvent, void, undefined> {
  type Entry = { event: ScheduledEvent; source: Iterator<ScheduledEvent> };
  // Ties go to the lower client index so the merged order is fully determined by the seed.
  const heap = new MinHeap<Entry>(
    (a, b) => a.event.intendedAt < b.event.intendedAt || (a.event.intendedAt === b.event.intendedAt && a.event.client < b.event.client),
  );
  for (const source of sources) {
    const first = source.next();
    if (!first.done) heap.push({ event: first.value, source });
  }
  for (let entry = heap.pop(); entry; entry = heap.pop()) {
    yield entry.event;
    const next = entry.source.next();
    if (!next.done) heap.push({ event: next.value, source: entry.source });
  }
}
