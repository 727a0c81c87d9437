import { parseLiveMessage, type LogEntry } from "./log-entry.js";
import type { RedisClient } from "./redis-client.js";

/** What the hub tells each local subscription of a channel. */
export interface ChannelListener {
  onMessage(entry: LogEntry): void;
  /** The connection dropped: messages published from now until `onResumed` are lost. */
  onInterrupted(): void;
  /** The connection is back and every channel is subscribed again. */
  onResumed(): void;
  /** The hub closed (no error) or its connection ended for good (error). */
  onClosed(error?: Error): void;
}

interface Channel {
  listeners: Set<ChannelListener>;
  /** Settles when Redis confirms the SUBSCRIBE. */
  subscribed: Promise<void>;
}

/**
 * One pub/sub connection shared by every subscription of a RedisEventLog, with SUBSCRIBE and
 * UNSUBSCRIBE ref-counted per channel. Commands on one connection run in the order they are
 * sent, so issuing UNSUBSCRIBE and a later SUBSCRIBE for the same channel synchronously, without
 * awaiting in between, always leaves the channel in the state of the last call.
 */
export class SubscriberHub {
  readonly #createSubscriber: () => RedisClient;
  readonly #channels = new Map<string, Channel>();
  #connection: RedisClient | undefined;
  #interrupted = false;
  #closed = false;
  /** Bumped on every disconnect, so a resubscribe that raced a newer disconnect is ignored. */
  #epoch = 0;

  constructor(createSubscriber: () => RedisClient) {
    this.#createSubscriber = createSubscriber;
  }

  get channelCount(): number {
    return this.#channels.size;
  }

  get listenerCount(): number {
    let count = 0;
    for (const channel of this.#channels.values()) count += channel.listeners.size;
    return count;
  }

  /** Adds a listener; resolves once the channel is subscribed. */
  add(name: string, listener: ChannelListener): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("RedisEventLog is closed"));
    const connection = this.#connect();
    let channel = this.#channels.get(name);
    if (!channel) {
      const subscribed = connection.subscribe(name).then(() => undefined);
      const created: Channel = { listeners: new Set(), subscribed };
      subscribed.catch(() => {
        // A failed SUBSCRIBE must not poison later attempts on this channel.
        if (this.#channels.get(name) === created) this.#channels.delete(name);
      });
      this.#channels.set(name, created);
      channel = created;
    }
    channel.listeners.add(listener);
    return channel.subscribed;
  }

  remove(name: string, listener: ChannelListener): void {
    const channel = this.#channels.get(name);
    if (!channel?.listeners.delete(listener) || channel.listeners.size > 0) return;
    this.#channels.delete(name);
    if (!this.#closed) this.#connection?.unsubscribe(name).catch(() => undefined);
  }

  /** Ends every subscription and closes the connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const listeners = this.#allListeners();
    this.#channels.clear();
    for (const listener of listeners) listener.onClosed();
    this.#connection?.disconnect();
  }

  #connect(): RedisClient {
    if (this.#connection) return this.#connection;
    const connection = this.#createSubscriber();
    connection.on("message", (name: string, message: string) => this.#dispatch(name, message));
    connection.on("close", () => this.#onClose());
    connection.on("ready", () => void this.#onReady(connection));
    connection.on("end", () => this.#onEnd());
    this.#connection = connection;
    return connection;
  }

  #dispatch(name: string, message: string): void {
    const channel = this.#channels.get(name);
    if (!channel) return;
    // Parsed once and shared by every local subscriber: consumers must not mutate events.
    const entry = parseLiveMessage(message);
    if (!entry) return;
    for (const listener of channel.listeners) listener.onMessage(entry);
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#epoch++;
    this.#interrupted = true;
    for (const listener of this.#allListeners()) listener.onInterrupted();
  }

  async #onReady(connection: RedisClient): Promise<void> {
    if (!this.#interrupted || this.#closed) return;
    const epoch = this.#epoch;
    // ioredis resubscribes by itself, but only our own SUBSCRIBE tells us when that has taken
    // effect; a backfill that ran earlier could miss events published in between.
    const names = [...this.#channels.keys()];
    try {
      if (names.length > 0) await connection.subscribe(...names);
    } catch {
      return; // the connection dropped again; the next "ready" retries
    }
    if (epoch !== this.#epoch || this.#closed) return;
    this.#interrupted = false;
    for (const listener of this.#allListeners()) listener.onResumed();
  }

  #onEnd(): void {
    if (this.#closed) return;
    this.#closed = true;
    const listeners = this.#allListeners();
    this.#channels.clear();
    const error = new Error("The Redis subscriber connection ended and will not reconnect");
    for (const listener of listeners) listener.onClosed(error);
  }

  #allListeners(): ChannelListener[] {
    const all: ChannelListener[] = [];
    for (const channel of this.#channels.values()) all.push(...channel.listeners);
    return all;
  }
}
