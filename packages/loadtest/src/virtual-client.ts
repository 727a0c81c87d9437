import { appCodeOf, errorCodeOf } from "@cohort/sdk";
import type { EventKind } from "./scenario.js";
import type { ScheduledEvent } from "./schedule.js";

/** What an action is told about the event it performs. */
export interface ActionContext {
  client: number;
  seq: number;
  kind: EventKind;
  /** Intended send time (epoch ms): stamp it on the mutation with `t1`. */
  intendedAt: number;
  /** Actual send time (epoch ms). */
  sentAt: number;
  /** Unique in the test (`<testerId>:<client>:<seq>`): use it as the trace id. */
  traceId: string;
  /** Aborted when the action times out or the run is aborted. */
  signal: AbortSignal;
}

/**
 * One virtual client's behaviour per event kind, usually calls through the SDK. Each resolves when
 * the server acknowledges, and rejects with the server's error otherwise.
 */
export interface Actions {
  cursor(context: ActionContext): Promise<unknown>;
  edit(context: ActionContext): Promise<unknown>;
  save(context: ActionContext): Promise<unknown>;
  open(context: ActionContext): Promise<unknown>;
  list(context: ActionContext): Promise<unknown>;
  comment(context: ActionContext): Promise<unknown>;
  question(context: ActionContext): Promise<unknown>;
}

export type SendOutcome =
  | { status: "ok"; at: number }
  | { status: "error"; at: number; code: string }
  /** The run was aborted first; the action may still complete, unobserved. */
  | { status: "cancelled"; at: number };

export interface SendOptions {
  sentAt: number;
  timeoutMs: number;
  /** Aborting it cancels the send. */
  runSignal: AbortSignal;
  now: () => number;
}

/** The code a failure is counted under: the server's `appCode`, else its tRPC code, else the error's name. */
export function defaultErrorCode(error: unknown): string {
  const fromServer = appCodeOf(error) ?? errorCodeOf(error);
  if (fromServer) return fromServer;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code) return code;
  return error instanceof Error && error.name !== "Error" ? error.name : "UNKNOWN";
}

export interface VirtualClientOptions {
  index: number;
  /** Unique in the test, e.g. `<testerId>:<index>`; receivers track delivery per sender id. */
  senderId: string;
  actions: Actions;
  /** @default {@link defaultErrorCode} */
  errorCode?: (error: unknown) => string;
}

/** One simulated participant: runs its actions for scheduled events, never waiting for earlier ones. */
export class VirtualClient {
  readonly index: number;
  readonly senderId: string;
  readonly #actions: Actions;
  readonly #errorCode: (error: unknown) => string;

  constructor({ index, senderId, actions, errorCode = defaultErrorCode }: VirtualClientOptions) {
    this.index = index;
    this.senderId = senderId;
    this.#actions = actions;
    this.#errorCode = errorCode;
  }

  /** Performs the event's action; resolves with the outcome and never rejects. */
  send(event: ScheduledEvent, { sentAt, timeoutMs, runSignal, now }: SendOptions): Promise<SendOutcome> {
    const controller = new AbortController();
    const context: ActionContext = {
      client: event.client,
      seq: event.seq,
      kind: event.kind,
      intendedAt: event.intendedAt,
      sentAt,
      traceId: `${this.senderId}:${event.seq}`,
      signal: controller.signal,
    };
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        runSignal.removeEventListener("abort", onAbort);
        resolve(outcome);
      };
      const onAbort = () => {
        controller.abort(runSignal.reason);
        finish({ status: "cancelled", at: now() });
      };
      const timer = setTimeout(() => {
        controller.abort(new DOMException(`no ack within ${timeoutMs} ms`, "TimeoutError"));
        finish({ status: "error", at: now(), code: "TIMEOUT" });
      }, timeoutMs);
      if (runSignal.aborted) return onAbort();
      runSignal.addEventListener("abort", onAbort, { once: true });
      let pending: Promise<unknown>;
      try {
        pending = this.#actions[event.kind](context);
      } catch (error) {
        pending = Promise.reject(error);
      }
      Promise.resolve(pending).then(
        () => finish({ status: "ok", at: now() }),
        (error: unknown) => finish({ status: "error", at: now(), code: this.#errorCode(error) }),
      );
    });
  }
}
