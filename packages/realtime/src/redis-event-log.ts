import { resolveEventLogOptions, type RedisEventLogOptions, type ResolvedEventLogOptions } from "./event-log-options.js";
import { RESET_EVENT_TYPE } from "./log-item.js";
import { TopicSubscription, type LogSubscription } from "./log-subscription.js";
import { appendEventsScript } from "./lua/append-events.js";
import { SubscriberHub } from "./subscriber-hub.js";

export interface SubscribeOptions {
  /**
   * Resume after this id: the events appended since are yielded first (or a reset, if the log
   * no longer reaches back that far or the id is malformed). Undefined or "$": live only.
   */
  lastEventId?: string | undefined;
  /** Ends the subscription (quietly) when aborted. */
  signal?: AbortSignal | undefined;
}

/** Where and how a Lua script appends to a topic with `append_events` (see lua/append-events). */
export interface AppendTarget {
  key: string;
  channel: string;
  maxLen: number;
  /** 0 = no age limit. */
  maxAgeMs: number;
}

/**
 * Durable, resumable topic logs on Redis Streams, fanned out with pub/sub. Any server instance
 * can append to or serve any topic; a client that reconnects to another instance resumes from
 * its last event id without loss or duplicates.
 *
 * A topic is a string that carries its own hash tag, e.g. "{l:12:p:34}:events"; the stream key
 * is `prefix + topic` and the channel `prefix + topic + ":ch"`, so both hash to the same slot.
 */
export class RedisEventLog {
  readonly #options: ResolvedEventLogOptions;
  readonly #hub: SubscriberHub;

  constructor(options: RedisEventLogOptions) {
    this.#options = resolveEventLogOptions(options);
    this.#hub = new SubscriberHub(this.#options.createSubscriber);
  }

  /** Appends one event; resolves with its stream id. */
  async append(topic: string, event: object): Promise<string> {
    const [id] = await this.appendMany(topic, [event]);
    return id!;
  }

  /** Appends events in order, atomically; resolves with their stream ids. */
  async appendMany(topic: string, events: readonly object[]): Promise<string[]> {
    if (events.length === 0) return [];
    const payloads = events.map(serializeEvent);
    const target = this.appendTarget(topic);
    const ids = await appendEventsScript.run(
      this.#options.redis,
      [target.key],
      [target.channel, target.maxLen, target.maxAgeMs, ...payloads],
    );
    return ids as string[];
  }

  /**
   * Yields the topic's events: first those after `lastEventId` (if given), then live ones, in
   * stream order and without duplicates. Nothing happens until the first `next()` or `ready()`.
   * Throws SlowConsumerError if the consumer falls `maxBufferedPerSubscriber` events behind.
   */
  subscribe<TEvent = unknown>(topic: string, options: SubscribeOptions = {}): LogSubscription<TEvent> {
    const target = this.appendTarget(topic);
    return new TopicSubscription<TEvent>({
      topic,
      key: target.key,
      channel: target.channel,
      redis: this.#options.redis,
      hub: this.#hub,
      lastEventId: options.lastEventId,
      signal: options.signal,
      pageSize: this.#options.backfillPageSize,
      maxBuffered: this.#options.maxBufferedPerSubscriber,
    });
  }

  /**
   * For Lua scripts (like presence) that must append in the same atomic step as their own
   * writes. Scripts use APPEND_EVENTS_LUA with these values.
   */
  appendTarget(topic: string): AppendTarget {
    if (typeof topic !== "string" || topic.length === 0) throw new TypeError("topic must be a non-empty string");
    const key = this.#options.prefix + topic;
    return { key, channel: `${key}:ch`, maxLen: this.#options.maxLen, maxAgeMs: this.#options.maxAgeMs ?? 0 };
  }

  /** Open pub/sub channels and local subscriptions on this instance (for metrics and tests). */
  stats(): { channels: number; subscriptions: number } {
    return { channels: this.#hub.channelCount, subscriptions: this.#hub.listenerCount };
  }

  /** Ends every subscription and closes the subscriber connection (not the command one). */
  async close(): Promise<void> {
    this.#hub.close();
  }
}

function serializeEvent(event: object): string {
  if (typeof event !== "object" || event === null) throw new TypeError("An event must be an object");
  if ((event as { type?: unknown }).type === RESET_EVENT_TYPE) {
    throw new TypeError(`"${RESET_EVENT_TYPE}" is a reserved event type`);
  }
  return JSON.stringify(event);
}
