import type { ProjectEvent, ProjectEventBatch } from "@cohort/api/schemas";
import type { CohortApi } from "./create-client.js";
import { localReceiptClock, stampReceipt, type ReceiptClock, type ReceivedProjectEvent } from "./stamp-receipt.js";

export type { ProjectEvent };

export interface ProjectEventListener {
  /** A traced event's `trace` carries `t4`, its receive time on the server's clock (see stampReceipt). */
  onEvent(event: ReceivedProjectEvent, id: string | undefined): void;
  /** The subscription (re)started: after a reconnect, refetch what may have been missed. */
  onRestart?(): void;
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

  /** `clock`: what receipts are stamped with (the client's clock estimate; the bare local clock by default). */
  constructor(
    api: CohortApi,
    input: { lessonId: number; ownerId: number },
    onError?: (error: unknown) => void,
    clock: ReceiptClock = localReceiptClock,
  ) {
    this.#clock = clock;
    let markReady!: () => void;
    let fail!: (error: unknown) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      fail = reject;
    });
    // Batched: events queued together on the server arrive in one frame and are unpacked here.
    const subscription = api.project.watch.subscribe({ ...input, batch: true }, {
      onStarted: () => {
        this.#started++;
        markReady();
        if (this.#started > 1) this.#listeners.forEach((l) => l.onRestart?.());
      },
      onData: (tracked) => {
        const { id, data } = tracked as unknown as { id?: string; data: ProjectEvent | ProjectEventBatch };
        if (data.type !== "batch") return this.#emit(data, id);
        for (const item of data.events) this.#emit(item.event, item.id);
      },
      onError: (error) => {
        fail(error);
        onError?.(error);
      },
    });
    this.#unsubscribe = () => subscription.unsubscribe();
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
