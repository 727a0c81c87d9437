import type { ProjectEvent, ProjectEventBatch } from "@cohort/api/schemas";
import type { CohortApi } from "./create-client.js";
import { localReceiptClock, stampReceipt, type ReceiptClock, type ReceivedProjectEvent } from "./stamp-receipt.js";
import type { DirectDelivery } from "./deliver-directly.js";

export type { ProjectEvent };

export interface ProjectEventListener {
  /** A traced event's `trace` carries `t4`, its receive time on the server's clock (see stampReceipt). */
  onEvent(event: ReceivedProjectEvent, id: string | undefined): void;
  /** The subscription (re)started: after a reconnect, refetch what may have been missed. */
  onRestart?(): void;
}

export interface ProjectEventStreamOptions {
  onError?: (error: unknown) => void;
  /** What receipts are stamped with (the client's clock estimate); the bare local clock by default. */
  clock?: ReceiptClock;
  /**
   * Hands the subscription's data straight to the stream (deliverDirectly, bound to the client's
   * socket); without it, or when it declines, tRPC's `onData` serves.
   */
  direct?: (input: object, deliver: DirectDelivery) => boolean;
}

/**
 * One `project.watch` per project per client, shared by every open file of that project. tRPC
 * resubscribes after a reconnect with the last event id, so missed events are replayed.
 */
export class ProjectEventStream {
  readonly ready: Promise<void>;
  readonly #listeners = new Set<ProjectEventListener>();
  readonly #unsubscribe: () => void;
  readonly #clock: ReceiptClock;
  #started = 0;

  constructor(api: CohortApi, input: { lessonId: number; ownerId: number }, { onError, clock = localReceiptClock, direct }: ProjectEventStreamOptions = {}) {
    this.#clock = clock;
    let markReady!: () => void;
    let fail!: (error: unknown) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      fail = reject;
    });
    // Batched: events queued together on the server arrive in one frame and are unpacked here.
    const watchInput = { ...input, batch: true };
    const subscription = api.project.watch.subscribe(watchInput, {
      onStarted: () => {
        this.#started++;
        markReady();
        if (this.#started > 1) this.#listeners.forEach((l) => l.onRestart?.());
      },
      onData: (tracked) => this.#receive(tracked),
      onError: (error) => {
        fail(error);
        onError?.(error);
      },
    });
    this.#unsubscribe = () => subscription.unsubscribe();
    direct?.(watchInput, (tracked) => this.#receive(tracked));
  }

  /** A tracked event or batch, as tRPC's `onData` gets it (or the direct path, the same). */
  #receive(tracked: unknown): void {
    const { id, data } = tracked as { id?: string; data: ProjectEvent | ProjectEventBatch };
    if (data.type !== "batch") return this.#emit(data, id);
    for (const item of data.events) this.#emit(item.event, item.id);
  }

  #emit(event: ProjectEvent, id: string | undefined): void {
    // Stamped once, before any listener runs, so every listener sees the same receipt time.
    const received = stampReceipt(event, this.#clock);
    this.#listeners.forEach((l) => l.onEvent(received, id));
  }

  listen(listener: ProjectEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  close(): void {
    this.#unsubscribe();
    this.#listeners.clear();
  }
}
