import type { Doc } from "yjs";
import type { Launcher } from "@cohort/loadtest";

// Ports the routers depend on. Adapters live in @cohort/realtime, @cohort/storage and apps/server;
// tests may pass real adapters on a test Redis.

export interface LogItem<E = unknown> {
  id: string;
  event: E;
}

/** A live read of one topic: an async generator of items, plus what is already queued behind the last one. */
export interface EventSubscription extends AsyncGenerator<LogItem> {
  /** Resolves once delivery is established: every event appended from then on will be yielded. */
  ready(): Promise<void>;
  /** The next item if it is already here (no I/O, no waiting); undefined otherwise. Only between `next()` calls. */
  takeBuffered(): LogItem | undefined;
  /** Hands every item to `sink` (synchronously while caught up) until the end; instead of iterating. */
  pipe(sink: (items: LogItem[]) => void): Promise<void>;
}

/**
 * One subscription request's way to its WebSocket, outside tRPC's per-item loop: the fan-out's hot
 * path writes frames here directly (see routers/project/on-project-event). The server provides it
 * for requests it can serve this way; tRPC still starts, stops and fails the subscription.
 */
export interface SubscriptionChannel {
  /** The JSON-RPC request the frames answer. */
  requestId: string | number;
  jsonrpc: "2.0" | undefined;
  /** Writes one whole text frame (UTF-8 JSON) to the connection; nothing once it is closing. */
  send(frame: Buffer): void;
}

/** Where a topic's events go, for a store that appends one in its own atomic step (a commit). */
export interface AppendTarget {
  key: string;
  channel: string;
  maxLen: number;
  maxAgeMs: number;
}

/** An event appended with a document commit; its JSON is `before + version + after` (the version is known only then). */
export interface EventAnnouncement {
  target: AppendTarget;
  event: readonly [before: string, after: string];
}

export interface EventLogPort {
  append(topic: string, event: object): Promise<string>;
  appendTarget(topic: string): AppendTarget;
  subscribe(topic: string, options: { lastEventId?: string | undefined; signal?: AbortSignal | undefined }): EventSubscription;
}

export type PresenceEvent =
  | { type: "snapshot"; online: number[] }
  | { type: "online" | "offline"; participantId: number };

export interface PresencePort {
  join(lessonId: number, participantId: number, connectionId: string): Promise<void>;
  leave(lessonId: number, participantId: number, connectionId: string): Promise<void>;
  online(lessonId: number): Promise<number[]>;
  watch(lessonId: number, options: { signal?: AbortSignal | undefined }): AsyncGenerator<LogItem<PresenceEvent>>;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Called once per procedure call, for metrics. */
export type CallObserver = (call: { path: string; type: string; ok: boolean; code?: string; durationMs: number }) => void;

export interface ProjectRef {
  lessonId: number;
  ownerId: number;
}

export interface ProjectsPort {
  /** Makes the project's files available: restores its backup, or applies the template once. */
  ensureLoaded(ref: ProjectRef, options: { templateKey?: string | null }): Promise<unknown>;
  /** Records activity (project.ping). */
  touch(ref: ProjectRef): Promise<unknown>;
  /** Zips the project to the blob store now (verified), keeping older versions up to the limit. */
  backup(ref: ProjectRef): Promise<{ key: string; size: number; sha256: string; version: number }>;
  /** The project as a zip (full paths, binary intact, empty directories kept). */
  getProjectZip(ref: ProjectRef): Promise<Buffer>;
}

export type EntryType = "file" | "directory";

export interface FileEntry {
  path: string;
  type: EntryType;
  size: number;
  updatedAt: string;
}

/** A project's files (adapter: @cohort/storage). Errors are StorageErrors with a `code`. */
export interface FilesPort {
  list(ref: ProjectRef): Promise<{ entries: FileEntry[]; totalSize: number; quota: number }>;
  /** Stable id (survives renames), type and size of an entry, with the project's total and quota, or null. */
  stat(ref: ProjectRef, path: string): Promise<{ id: number; type: EntryType; size: number; projectBytes: number; quota: number } | null>;
  read(ref: ProjectRef, path: string): Promise<{ content: Buffer; size: number }>;
  /**
   * A page of files in path order (`paths`, all of which must be files, or every file), starting
   * after `cursor`, bounded by `maxFiles` and `maxBytes` (at least one file per page).
   */
  readMany(
    ref: ProjectRef,
    options: { paths?: readonly string[] | undefined; cursor?: string | undefined; maxFiles: number; maxBytes: number },
  ): Promise<{ files: { path: string; content: Buffer; size: number }[]; nextCursor: string | null }>;
  create(ref: ProjectRef, input: { path: string; type: EntryType; content?: Buffer | undefined }): Promise<FileEntry>;
  /** Replaces a file. With `docVersion`, skipped if a newer version of the live text was already stored. */
  write(ref: ProjectRef, path: string, content: Buffer, options?: { docVersion?: number }): Promise<{ size: number }>;
  /** Throws the quota/size error a write of `size` bytes to `path` would meet, without writing. */
  checkWrite(ref: ProjectRef, path: string, size: number): Promise<void>;
  rename(ref: ProjectRef, path: string, newPath: string): Promise<{ path: string; newPath: string; type: EntryType }>;
  /** Deletes an entry (a directory with everything under it), with the live documents of its files. */
  delete(ref: ProjectRef, path: string): Promise<{ path: string; type: EntryType }>;
  setCursor(ref: ProjectRef, viewerId: number, path: string, cursor: object): Promise<void>;
  /** setCursor, and the cursor's event (JSON) appended to its log in the same atomic step; returns its id. */
  setCursorAndAnnounce(ref: ProjectRef, viewerId: number, path: string, change: { cursor: object; announce: { target: AppendTarget; event: string } }): Promise<string>;
  getCursor(ref: ProjectRef, viewerId: number, path: string): Promise<object | null>;
}

export interface DocRef {
  tag: string;
  fileId: number;
}

interface CommitOptions<TAnnounce> {
  accept?: ((text: string) => void | Promise<void>) | undefined;
  announce?: TAnnounce | undefined;
}

type Committed = { version: number; text: string; update: Uint8Array };

/** Live documents of text files (adapter: @cohort/collab). */
export interface DocsPort {
  sync(ref: DocRef, seedText: () => Promise<string>, stateVector?: Uint8Array): Promise<{ update: Uint8Array; version: number; text: string }>;
  /**
   * Commits `update`. `accept` sees the resulting text first and may throw (then nothing changes);
   * with `announce`, the update's event is appended to the log in the same atomic step.
   */
  push(ref: DocRef, update: Uint8Array, seedText: () => Promise<string>, options?: CommitOptions<EventAnnouncement>): Promise<Committed>;
  /** Makes the text `next` with a minimal update; `announce` makes that update's event (see push). */
  replace(ref: DocRef, next: string, seedText: () => Promise<string>, options?: CommitOptions<(update: Uint8Array) => EventAnnouncement>): Promise<Committed | null>;
  /** Runs `read` on the file's current document (read only; used to anchor and resolve Q&A ranges). */
  withDoc<T>(ref: DocRef, seedText: () => Promise<string>, read: (doc: Doc, version: number) => T | Promise<T>): Promise<T>;
  exists(ref: DocRef): Promise<boolean>;
  drop(refs: DocRef[]): Promise<void>;
}

/** One sampled message of a lesson's traffic, as `monitor.watch` shows it. Times are epoch ms. */
export interface MonitorTrace {
  type: "trace";
  /** The client's trace id, or one the server made up for an untraced event. */
  id: string;
  event: string;
  /** Acting participant. */
  from: number;
  /** Owner of the project the event is about. */
  to: number;
  /** Server instance that handled the mutation. */
  instance: string;
  /** Client send time; null when the mutation carried no trace. */
  t1: number | null;
  /** Server receive time. */
  t2: number;
  /** Server emit time (into the event log). */
  t3: number;
  size: number;
}

/** How many traces an instance left out of one second of a lesson's traffic (its cap was reached). */
export interface MonitorSamplingNotice {
  type: "sampling";
  instance: string;
  kept: number;
  dropped: number;
  windowMs: number;
  /** Epoch ms of the window's start. */
  at: number;
}

/** What each server instance tells about itself every few seconds. */
export interface InstanceHeartbeat {
  instanceId: string;
  connections: number;
  messagesInPerSec: number;
  messagesOutPerSec: number;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms of this heartbeat. */
  at: number;
}

/** Live traffic sampling (adapter: apps/server RedisMonitor). */
export interface MonitorPort {
  /** Called for every project event; must return at once, and cost nothing when nobody watches. */
  record(lessonId: number, trace: { event: string; from: number; to: number; trace?: object | undefined; size: number }): void;
  /**
   * Makes every instance sample the lesson (within about a second) until `signal` aborts.
   * `sampleRate` in (0, 1] is the share of events kept before the per-instance cap.
   */
  watch(lessonId: number, options: { sampleRate: number; signal: AbortSignal }): Promise<void>;
  /** Instances that sent a heartbeat recently. */
  instances(): Promise<InstanceHeartbeat[]>;
}

/** The load-test launchers this server can use, by kind (adapters: @cohort/loadtest). */
export type Launchers = Partial<Record<"local" | "ecs", Launcher>>;

/** Token buckets every server instance shares (Redis): limits that hold across instances. */
export interface TokenBucketsPort {
  /** Takes up to `want` tokens of bucket `name`; resolves how many were taken (0 when empty). */
  take(name: string, limit: { ratePerSec: number; burst: number }, want: number): Promise<number>;
}
