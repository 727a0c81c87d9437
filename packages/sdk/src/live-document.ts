import * as Y from "yjs";
import type { CohortApi } from "./create-client.js";
import { fromBase64, toBase64 } from "./base64.js";
import type { ProjectEvent, ProjectEventStream } from "./project-events.js";
import { appCodeOf } from "./errors/cohort-error.js";

/** Origin of changes that came from the server, so they are not sent back. */
const REMOTE = Symbol("cohort-remote");

export interface CursorPosition {
  line: number;
  column: number;
}

export interface RemoteCursor {
  participant: { id: number; nickname: string };
  position: CursorPosition;
  selection?: { start: CursorPosition; end: CursorPosition } | undefined;
  at: number;
}

type Listener<T> = (value: T) => void;

export interface LiveDocumentOptions {
  api: CohortApi;
  events: ProjectEventStream;
  lessonId: number;
  ownerId: number;
  path: string;
  /** Cursor moves are coalesced: at most one per this interval, the latest wins. @default 50 */
  cursorIntervalMs?: number;
  /** Called with the trace to stamp on each push (load tester); none by default. */
  trace?: () => { id: string; t1: number; t0?: number } | undefined;
}

/**
 * A text file being edited live. Bind an editor (Monaco, CodeMirror) to `doc` / `text`. Local
 * changes are queued and pushed in order; while disconnected they wait and are sent once the
 * connection returns. Yjs updates are idempotent, so a retried push applies once.
 */
export class LiveDocument {
  readonly doc = new Y.Doc();
  readonly text: Y.Text = this.doc.getText("content");
  readonly cursors = new Map<number, RemoteCursor>();
  path: string;
  readonly #options: LiveDocumentOptions;
  readonly #pending: Uint8Array[] = [];
  #flushing: Promise<void> | null = null;
  #closed = false;
  #cursorTimer: ReturnType<typeof setTimeout> | null = null;
  #cursorNext: { position: CursorPosition; selection?: { start: CursorPosition; end: CursorPosition } | undefined } | null = null;
  readonly #listeners = { change: new Set<Listener<Y.YTextEvent>>(), cursors: new Set<Listener<Map<number, RemoteCursor>>>(), error: new Set<Listener<unknown>>(), deleted: new Set<Listener<void>>() };
  readonly #unsubscribe: () => void;

  private constructor(options: LiveDocumentOptions) {
    this.#options = options;
    this.path = options.path;
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE || this.#closed) return;
      this.#pending.push(update);
      void this.flush();
    });
    this.text.observe((event) => {
      if (event.transaction.origin === REMOTE) this.#listeners.change.forEach((l) => l(event));
    });
    this.#unsubscribe = options.events.listen({
      onEvent: (event) => this.#onEvent(event),
      onRestart: () => void this.resync().then(() => this.flush()),
    });
  }

  /** Opens a file: subscribes to its project's events first, then fetches the document. */
  static async open(options: LiveDocumentOptions): Promise<LiveDocument> {
    const live = new LiveDocument(options);
    await options.events.ready;
    await live.resync();
    return live;
  }

  /** Inserts text at a UTF-16 offset (what editors use). */
  insert(index: number, content: string): void {
    this.text.insert(index, content);
  }

  delete(index: number, length: number): void {
    this.text.delete(index, length);
  }

  toString(): string {
    return this.text.toString();
  }

  on(event: "change", listener: Listener<Y.YTextEvent>): () => void;
  on(event: "cursors", listener: Listener<Map<number, RemoteCursor>>): () => void;
  on(event: "error", listener: Listener<unknown>): () => void;
  on(event: "deleted", listener: Listener<void>): () => void;
  on(event: "change" | "cursors" | "error" | "deleted", listener: Listener<never>): () => void {
    const set = this.#listeners[event] as Set<Listener<never>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Number of local updates not yet acknowledged by the server. */
  get pendingUpdates(): number {
    return this.#pending.length;
  }

  /** Fetches what this replica misses (after a reconnect, or a `reset` event). */
  async resync(): Promise<void> {
    const { lessonId, ownerId } = this.#options;
    const reply = await this.#options.api.edits.sync.mutate({
      lessonId,
      ownerId,
      path: this.path,
      stateVector: toBase64(Y.encodeStateVector(this.doc)),
    });
    Y.applyUpdate(this.doc, fromBase64(reply.update), REMOTE);
  }

  /** Sends queued local updates, in order, one merged push at a time. Resolves when all are acked. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /** Moves this participant's cursor; coalesced so a fast mouse cannot flood the class. */
  moveCursor(position: CursorPosition, selection?: { start: CursorPosition; end: CursorPosition }): void {
    this.#cursorNext = { position, selection };
    if (this.#cursorTimer) return;
    const send = () => {
      const next = this.#cursorNext;
      this.#cursorNext = null;
      if (!next || this.#closed) {
        this.#cursorTimer = null;
        return;
      }
      const { lessonId, ownerId } = this.#options;
      this.#options.api.cursor.move
        .mutate({ lessonId, ownerId, path: this.path, position: next.position, ...(next.selection ? { selection: next.selection } : {}) })
        .catch((error: unknown) => this.#listeners.error.forEach((l) => l(error)));
      this.#cursorTimer = setTimeout(send, this.#options.cursorIntervalMs ?? 50);
    };
    send();
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    if (this.#cursorTimer) clearTimeout(this.#cursorTimer);
    this.doc.destroy();
  }

  async #drain(): Promise<void> {
    const { lessonId, ownerId } = this.#options;
    let backoffMs = 100;
    while (this.#pending.length > 0 && !this.#closed) {
      const batch = this.#pending.slice();
      const update = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
      try {
        const trace = this.#options.trace?.();
        await this.#options.api.edits.push.mutate({ lessonId, ownerId, path: this.path, update: toBase64(update), ...(trace ? { trace } : {}) });
        this.#pending.splice(0, batch.length);
        backoffMs = 100;
      } catch (error) {
        const code = appCodeOf(error);
        if (code === "INVALID_UPDATE") {
          // The server lacks something our update builds on: catch up, then send everything again.
          await this.resync().catch(() => undefined);
          this.#pending.splice(0, this.#pending.length, Y.encodeStateAsUpdate(this.doc));
          continue;
        }
        if (code === "RATE_LIMITED" || code === "UNAVAILABLE" || code === "INTERNAL") {
          // Transient: keep the queue and try again a little later.
          await new Promise((resolve) => setTimeout(resolve, backoffMs));
          backoffMs = Math.min(backoffMs * 2, 5_000);
          continue;
        }
        this.#listeners.error.forEach((l) => l(error));
        if (code) {
          // Refused for good (permission, quota): these changes will never be stored.
          this.#pending.splice(0, batch.length);
          continue;
        }
        // Transport failure: keep the queue; the next (re)subscription start flushes it.
        return;
      }
    }
  }

  #onEvent(event: ProjectEvent): void {
    if (event.type === "reset") {
      void this.resync();
      return;
    }
    if (event.type === "file.renamed" && this.path === event.path) {
      this.path = event.newPath;
      return;
    }
    if (event.type === "file.renamed" && this.path.startsWith(`${event.path}/`)) {
      this.path = event.newPath + this.path.slice(event.path.length);
      return;
    }
    if (event.type === "file.deleted" && (this.path === event.path || this.path.startsWith(`${event.path}/`))) {
      this.#listeners.deleted.forEach((l) => l());
      return;
    }
    if (event.type === "edit" && event.path === this.path) {
      Y.applyUpdate(this.doc, fromBase64(event.update), REMOTE);
      return;
    }
    if (event.type === "cursor" && event.path === this.path) {
      this.cursors.set(event.participant.id, { participant: event.participant, position: event.position, selection: event.selection, at: Date.now() });
      this.#listeners.cursors.forEach((l) => l(this.cursors));
    }
  }
}
