import { appCodeOf, createCohortClient, type ClockEstimate, type CohortClient, type LiveDocument, type ReceivedProjectEvent } from "@cohort/sdk";
import type { ActionContext } from "./virtual-client.js";
import { DeliveryTracker } from "./stats/delivery-tracker.js";

/** A tester account a virtual client plays (from tester.register). */
export interface TesterAccount {
  userId: number;
  participantId: number;
}

/** One receipt of another (or this) client's traced event, both times on the server's clock. */
export interface Delivery {
  /** `edit` or `cursor`: the kinds that reach watchers of a project. */
  kind: "edit" | "cursor";
  senderId: string;
  seq: number;
  /** The sender's intended send time, corrected to the server's clock. */
  intendedAtMs: number;
  receivedAtMs: number;
}

export interface VirtualSessionOptions {
  /** WebSocket URL of the server under test. */
  url: string;
  testId: number;
  testToken: string;
  account: TesterAccount;
  lessonId: number;
  /** The participant whose project every client works in; each client's own project when null. */
  targetParticipantId: number | null;
  /** The text file this client edits (created if missing). */
  path: string;
  /** WebSocket implementation (Node 20: the `ws` package). */
  WebSocket: unknown;
  /** Called for the first receipt of each traced event (not for duplicates). */
  onDelivery: (delivery: Delivery) => void;
  /**
   * The process's clock estimate, shared by every client of the process and read at each use
   * (the SDK's `sharedClock`): one estimate for all (the process's best, see
   * `CohortClient.syncClock`) means a sender and a receiver in one process can never disagree
   * about the time. The SDK stamps receipts (`trace.t4`) with it.
   */
  clock: () => ClockEstimate | null;
}

/** Trace ids of this test's virtual clients: `<testerId>:<client>:<seq>`; the sender is the prefix. */
const TRACE_ID = /^(t\d+:\d+):(\d+)$/;

/**
 * One virtual client connected as a tester account: joined the lesson, clock synced, its file open
 * as a live document, and watching the project it works in, where it records what it receives.
 */
export class VirtualSession {
  readonly client: CohortClient;
  readonly lessonId: number;
  readonly ownerId: number;
  readonly path: string;
  readonly live: LiveDocument;
  /**
   * Receipts by sender and seq: edits (whose order each sender fixes, one push after another)
   * for loss, duplicate and order counts; cursors, which a sender may have in flight several at a
   * time and the server coalesces, only to tell first receipts from duplicates.
   */
  readonly receipts = { edit: new DeliveryTracker(), cursor: new DeliveryTracker() };
  /** Seqs of this client's acknowledged edits: what every watcher of the project is owed. */
  readonly ackedEdits: number[] = [];
  #receiving = true;
  #editTrace: { id: string; t1: number; t0: number } | undefined;
  #lastDeliveryAt = 0;
  readonly #release: () => void;

  private constructor(init: {
    client: CohortClient;
    lessonId: number;
    ownerId: number;
    path: string;
    live: LiveDocument;
    release: () => void;
  }) {
    this.client = init.client;
    this.lessonId = init.lessonId;
    this.ownerId = init.ownerId;
    this.path = init.path;
    this.live = init.live;
    this.#release = init.release;
  }

  static async open(options: VirtualSessionOptions): Promise<VirtualSession> {
    const client = createCohortClient({
      url: options.url,
      tester: { testId: options.testId, testToken: options.testToken, asUserId: options.account.userId },
      WebSocket: options.WebSocket,
      sharedClock: options.clock,
    });
    try {
      const { lessonId, path } = options;
      await client.api.lesson.join.mutate({ lessonId });
      const ownerId = options.targetParticipantId ?? options.account.participantId;
      await client.api.files.create.mutate({ lessonId, ownerId, path, type: "file", content: "" }).catch((error: unknown) => {
        if (appCodeOf(error) !== "FILE_EXISTS") throw error;
      });
      // Watch first, so nothing sent once the test starts can be missed.
      const watch = client.watchProject({ lessonId, ownerId });
      await watch.stream.ready;
      // The listeners need the session, which needs the document they help open.
      const self: { session?: VirtualSession } = {};
      const unlisten = watch.stream.listen({ onEvent: (event) => self.session && self.session.#receive(event, options.onDelivery) });
      const live = await client.openFile({ lessonId, ownerId, path, trace: () => self.session && self.session.#editTrace });
      const session = new VirtualSession({
        client,
        lessonId,
        ownerId,
        path,
        live,
        release: () => {
          unlisten();
          watch.release();
        },
      });
      self.session = session;
      return session;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  /** The trace a mutation of this action carries: the intended send time and the send time, on the server's clock. */
  trace(context: ActionContext): { id: string; t1: number; t0: number } {
    const offsetMs = this.client.clock?.offsetMs ?? 0;
    // The schedule runs on the monotonic clock (timeOrigin + now), the clock offset on Date.now;
    // they drift apart by milliseconds, which would show as (negative) delivery latency.
    const wallMinusMonotonic = Date.now() - (performance.timeOrigin + performance.now());
    return { id: context.traceId, t1: Date.now() + offsetMs, t0: Math.max(0, context.intendedAt + wallMinusMonotonic + offsetMs) };
  }

  /**
   * Types into (or, past 2 000 characters, deletes from) the live document and waits until the
   * server acknowledged the push. The push carries this action's trace. Callers run one edit at a
   * time per client, so that each push holds exactly one action's change.
   */
  async edit(context: ActionContext, random: () => number): Promise<void> {
    const { live } = this;
    let failure: unknown;
    const unlisten = live.on("error", (error) => (failure ??= error));
    this.#editTrace = this.trace(context);
    try {
      const length = live.toString().length;
      if (length > 2_000) live.delete(Math.floor(random() * (length - 40)), 40);
      else live.insert(Math.floor(random() * (length + 1)), `${context.seq % 10 === 0 ? "\n" : ""}x${context.seq} `);
      // The push (started by the insert, or queued behind one in flight) carries #editTrace.
      await live.flush();
    } finally {
      this.#editTrace = undefined;
      unlisten();
    }
    if (failure) throw failure;
    if (live.pendingUpdates > 0) throw Object.assign(new Error("the edit was not acknowledged"), { code: "NOT_ACKED" });
    this.ackedEdits.push(context.seq);
  }

  /** Epoch ms of the last receipt, to tell when deliveries have drained after the run. */
  get lastDeliveryAt(): number {
    return this.#lastDeliveryAt;
  }

  stopReceiving(): void {
    this.#receiving = false;
  }

  async close(): Promise<void> {
    this.#receiving = false;
    this.live.close();
    this.#release();
    await this.client.close();
  }

  #receive(event: ReceivedProjectEvent, onDelivery: (delivery: Delivery) => void): void {
    if (!this.#receiving || (event.type !== "edit" && event.type !== "cursor") || !event.trace) return;
    const match = TRACE_ID.exec(event.trace.id);
    if (!match) return;
    this.#lastDeliveryAt = Date.now();
    const [, senderId, seqText] = match as unknown as [string, string, string];
    const seq = Number(seqText);
    if (this.receipts[event.type].receive(senderId, seq) === "duplicate") return;
    onDelivery({ kind: event.type, senderId, seq, intendedAtMs: event.trace.t0 ?? event.trace.t1, receivedAtMs: event.trace.t4 });
  }
}
