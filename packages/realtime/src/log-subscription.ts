import { FifoQueue } from "./fifo-queue.js";
import { parseStreamEntry, type LogEntry } from "./log-entry.js";
import { RESET_EVENT_TYPE, type LogItem } from "./log-item.js";
import { readPageScript } from "./lua/read-page.js";
import type { RedisClient } from "./redis-client.js";
import { SlowConsumerError } from "./slow-consumer-error.js";
import { compareStreamIds, normalizeStreamId, ZERO_STREAM_ID } from "./stream-id.js";
import type { ChannelListener, SubscriberHub } from "./subscriber-hub.js";

/** A live, resumable read of one topic. End it with `return()` or the signal. */
export interface LogSubscription<TEvent = unknown> extends AsyncGenerator<LogItem<TEvent>, void, undefined> {
  /**
   * Resolves once delivery is established: the pub/sub channel is subscribed and the starting
   * position is fixed, so every event appended from now on will be yielded. Iterating calls
   * this implicitly.
   */
  ready(): Promise<void>;
  /** The id of the last item yielded, or the starting position; undefined before `ready()`. */
  readonly cursor: string | undefined;
  /**
   * The next item if it is already here and follows the cursor, without waiting or reading Redis;
   * undefined otherwise (then `next()` does whatever is due: a read, a reset, a wait). Lets a
   * consumer that has just received an item take the ones queued behind it as one batch. Call it
   * only between `next()` calls, never while one is pending.
   */
  takeBuffered(): LogItem<TEvent> | undefined;
  /**
   * Hands every item to `sink`, in order, until the subscription ends; resolves then, or rejects
   * with what ended it (including what `sink` threw). Use this instead of iterating, never both.
   *
   * While the subscription is caught up, a live event reaches `sink` synchronously inside the
   * pub/sub callback: no promise, no generator step. That is the fan-out's hot path, run once per
   * watcher for every event. Backfills, gaps and resets go through the same reads as `next()`, and
   * what they produce arrives as one call with several items.
   */
  pipe(sink: LogSink<TEvent>): Promise<void>;
}

/** Receives items in stream order; throwing ends the subscription with that error. */
export type LogSink<TEvent> = (items: LogItem<TEvent>[]) => void;

export interface LogSubscriptionDeps {
  topic: string;
  key: string;
  channel: string;
  redis: RedisClient;
  hub: SubscriberHub;
  /** Undefined or "$": start at the current end. */
  lastEventId: string | undefined;
  signal: AbortSignal | undefined;
  pageSize: number;
  maxBuffered: number;
}

type Result<TEvent> = IteratorResult<LogItem<TEvent>, void>;

const DONE = { done: true, value: undefined } as const;

/**
 * Merges a backfill from the stream with live pub/sub messages. It subscribes first and reads
 * the stream second, so nothing falls between the two; the "prev" link of every entry tells
 * whether the next item follows the cursor directly. When it does not (a message was lost, say
 * during a reconnect), the subscription re-reads the stream from its cursor, and when the stream
 * no longer holds what follows the cursor it yields a reset.
 *
 * Implemented by hand rather than as an `async function*` so that `return()` ends it at once,
 * even while a `next()` is waiting for the next event.
 */
export class TopicSubscription<TEvent> implements LogSubscription<TEvent>, ChannelListener {
  readonly #deps: LogSubscriptionDeps;
  #cursor: string | undefined;
  /** The starting id was unusable: the first read yields a reset instead of a backfill. */
  #resetFirst = false;
  /** A reset to this id is due before anything else. */
  #pendingReset: string | undefined;
  #started: Promise<void> | undefined;
  #done = false;
  #registered = false;
  #error: unknown;
  /** The stream must be read from the cursor before live items may be used. */
  #syncNeeded = true;
  /** The end of a backfill that spans several pages. */
  #backfillUntil: string | undefined;
  #interrupted = false;
  #page: LogEntry[] = [];
  #pageHead = ZERO_STREAM_ID;
  readonly #live = new FifoQueue<LogEntry>();
  #wake: (() => void) | undefined;
  /** Set by pipe(): where live events go directly while the reader is parked. */
  #sink: LogSink<TEvent> | undefined;
  /** The reader waits for live events with nothing queued, so a live event may skip the queue. */
  #parked = false;
  /** Live events taken directly in this turn, handed to the sink together at its end (see onMessage). */
  #direct: LogItem<TEvent>[] = [];
  #pulling: Promise<unknown> = Promise.resolve();

  constructor(deps: LogSubscriptionDeps) {
    this.#deps = deps;
    const { lastEventId } = deps;
    if (lastEventId !== undefined && lastEventId !== "$") {
      const normalized = normalizeStreamId(lastEventId);
      // A malformed id cannot be resumed from, so it counts as too old.
      if (normalized === undefined) this.#resetFirst = true;
      else this.#cursor = normalized;
    }
  }

  get cursor(): string | undefined {
    return this.#cursor;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  ready(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  next(): Promise<Result<TEvent>> {
    // Serialised so that concurrent next() calls cannot interleave reads and the cursor.
    const result = this.#pulling.then(() => this.#pull());
    this.#pulling = result.catch(() => undefined);
    return result;
  }

  return(): Promise<Result<TEvent>> {
    this.#finish();
    return Promise.resolve(DONE);
  }

  throw(error: unknown): Promise<Result<TEvent>> {
    this.#finish();
    return Promise.reject(error);
  }

  async pipe(sink: LogSink<TEvent>): Promise<void> {
    if (this.#sink) throw new Error("This subscription is already piped");
    this.#sink = sink;
    for (;;) {
      // Reads, resets and gaps are resolved here; once this waits idle, #parked lets onMessage deliver.
      const result = await this.next();
      if (result.done) return;
      const items = [result.value];
      for (let item = this.takeBuffered(); item; item = this.takeBuffered()) items.push(item);
      this.#deliver(items);
    }
  }

  onMessage(entry: LogEntry): void {
    // A read of the stream is due but not yet sent: that read will include this entry.
    if (this.#done || this.#syncNeeded) return;
    if (this.#parked) {
      // Caught up and idle: nothing is queued or being read, so this is the next item or a repeat.
      if (entry.prev === this.#cursor) {
        // Handed over once the current callback's microtasks run: every message parsed from the
        // same read of the subscriber connection (a burst under load) then reaches the sink as one
        // call, that is one frame per watcher instead of one per event, and a lone event waits
        // for nothing.
        this.#cursor = entry.id;
        if (this.#direct.push({ id: entry.id, event: entry.event as TEvent }) === 1) queueMicrotask(this.#flushDirect);
        return;
      }
      if (compareStreamIds(entry.id, this.#cursor!) <= 0) return; // already delivered
    }
    if (this.#live.length >= this.#deps.maxBuffered) {
      this.#finish(new SlowConsumerError({ topic: this.#deps.topic, maxBuffered: this.#deps.maxBuffered }));
      return;
    }
    this.#live.push(entry);
    this.#notify();
  }

  onInterrupted(): void {
    this.#interrupted = true;
    this.#requestSync();
  }

  onResumed(): void {
    this.#interrupted = false;
    this.#notify();
  }

  onClosed(error?: Error): void {
    this.#finish(error);
  }

  async #start(): Promise<void> {
    const { signal, hub, channel } = this.#deps;
    if (this.#done || signal?.aborted) return this.#finish();
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.#registered = true;
    try {
      await hub.add(channel, this);
      // A live-only subscription starts at the stream's current end, read after subscribing.
      while (this.#cursor === undefined && !this.#done) {
        if (this.#interrupted) await this.#sleep();
        else await this.#read();
      }
    } catch (error) {
      this.#finish(error);
      throw error;
    }
  }

  async #pull(): Promise<Result<TEvent>> {
    try {
      const result = await this.#advance();
      if (result) return result;
    } catch (error) {
      // A failed read must not leave the channel subscribed: consumers rarely call return()
      // after next() rejects (for-await does not).
      this.#finish(error);
    }
    return this.#end();
  }

  /** The next item, or undefined once the subscription is done. */
  async #advance(): Promise<Result<TEvent> | undefined> {
    await this.ready();
    for (;;) {
      if (this.#done) return undefined;
      if (this.#pendingReset !== undefined) return this.#reset(this.#pendingReset);
      const fromStream = this.#page.shift();
      if (fromStream) return this.#yieldFromStream(fromStream);
      if (this.#syncNeeded || this.#backfillUntil !== undefined) {
        if (this.#interrupted) await this.#sleep();
        else await this.#read();
        continue;
      }
      const live = this.#live.shift();
      if (!live) {
        this.#parked = this.#sink !== undefined;
        await this.#sleep();
        this.#parked = false;
        continue;
      }
      const cursor = this.#cursor!;
      // The common case first: the entry follows the cursor directly (then it is newer; no parsing).
      if (live.prev !== cursor && compareStreamIds(live.id, cursor) <= 0) continue; // already yielded by the backfill
      if (live.prev !== cursor) {
        this.#requestSync(); // something between the cursor and this entry never arrived
        continue;
      }
      this.#cursor = live.id;
      return { done: false, value: { id: live.id, event: live.event as TEvent } };
    }
  }

  takeBuffered(): LogItem<TEvent> | undefined {
    if (this.#done || this.#cursor === undefined || this.#pendingReset !== undefined) return undefined;
    const fromStream = this.#page[0];
    if (fromStream) {
      if (fromStream.prev !== this.#cursor) return undefined; // a reset: next() yields it
      this.#page.shift();
      this.#cursor = fromStream.id;
      return { id: fromStream.id, event: fromStream.event as TEvent };
    }
    if (this.#syncNeeded || this.#backfillUntil !== undefined) return undefined;
    for (let live = this.#live.peek(); live; live = this.#live.peek()) {
      if (live.prev !== this.#cursor && compareStreamIds(live.id, this.#cursor) <= 0) {
        this.#live.shift(); // already yielded by the backfill
        continue;
      }
      if (live.prev !== this.#cursor) return undefined; // a gap: next() reads the stream
      this.#live.shift();
      this.#cursor = live.id;
      return { id: live.id, event: live.event as TEvent };
    }
    return undefined;
  }

  #yieldFromStream(entry: LogEntry): Result<TEvent> {
    if (entry.prev === this.#cursor) {
      this.#cursor = entry.id;
      return { done: false, value: { id: entry.id, event: entry.event as TEvent } };
    }
    // The stream no longer links the cursor to this entry: what came between was trimmed.
    return this.#reset(this.#pageHead);
  }

  #reset(head: string): Result<TEvent> {
    this.#pendingReset = undefined;
    this.#page = [];
    this.#backfillUntil = undefined;
    this.#cursor = head;
    return { done: false, value: { id: head, event: { type: RESET_EVENT_TYPE } } };
  }

  /** Reads the head and the next page after the cursor in one atomic step. */
  async #read(): Promise<void> {
    if (this.#syncNeeded) {
      // From here on live messages are kept: anything that arrived earlier is in this read.
      this.#syncNeeded = false;
      this.#live.clear();
      this.#backfillUntil = undefined;
    }
    const { key, redis, pageSize } = this.#deps;
    const cursor = this.#cursor;
    const until = this.#backfillUntil ?? "+";
    const count = cursor === undefined ? 0 : pageSize;
    const reply = (await readPageScript.run(redis, [key], [cursor ?? ZERO_STREAM_ID, until, count])) as [string, unknown[]];
    if (this.#done) return;
    const [head, rawEntries] = reply;
    if (cursor === undefined) {
      this.#cursor = head;
      if (this.#resetFirst) this.#pendingReset = head;
      this.#resetFirst = false;
      return;
    }
    const entries = rawEntries.map(parseStreamEntry);
    this.#pageHead = head;
    if (entries.length === 0 && compareStreamIds(cursor, head) > 0) {
      // The cursor is ahead of the stream: it was deleted and recreated since.
      this.#pendingReset = head;
      return;
    }
    this.#page = entries;
    const last = entries.at(-1);
    const untilId = until === "+" ? head : until;
    this.#backfillUntil = last && entries.length === pageSize && compareStreamIds(last.id, untilId) < 0 ? untilId : undefined;
  }

  #requestSync(): void {
    this.#syncNeeded = true;
    this.#live.clear();
    this.#notify();
  }

  #end(): Result<TEvent> {
    if (this.#error === undefined) return DONE;
    const error = this.#error;
    this.#error = undefined;
    throw error;
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  /** Hands items to the sink; what it throws ends the subscription. */
  #deliver(items: LogItem<TEvent>[]): void {
    if (this.#done) return;
    try {
      this.#sink!(items);
    } catch (error) {
      this.#finish(error);
    }
  }

  readonly #flushDirect = (): void => {
    const items = this.#direct;
    if (items.length === 0) return;
    this.#direct = [];
    this.#deliver(items);
  };

  #notify(): void {
    // Whatever woke the reader is handled by it, in order: nothing may overtake it, so the live
    // events taken before it go first.
    this.#flushDirect();
    this.#parked = false;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  readonly #onAbort = (): void => this.#finish();

  #finish(error?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = error;
    this.#page = [];
    this.#live.clear();
    this.#deps.signal?.removeEventListener("abort", this.#onAbort);
    if (this.#registered) this.#deps.hub.remove(this.#deps.channel, this);
    this.#notify();
  }
}
