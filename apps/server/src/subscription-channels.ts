import type { Encoder } from "@trpc/server/adapters/ws";
import type { SubscriptionChannel } from "@cohort/api";
import { WebSocket } from "ws";

type Request = { id: string | number; jsonrpc: "2.0" | undefined; path: string };
type SubscriptionMessage = { id?: unknown; jsonrpc?: unknown; method?: unknown; params?: { path?: unknown; input?: unknown; lastEventId?: unknown } };

/**
 * The subscription requests of one WebSocket connection, by the object tRPC will hand to the
 * procedure as its raw input. tRPC does not tell a procedure its request id, which a frame written
 * outside tRPC's loop must carry; the procedure's middleware finds it here by that object.
 */
export class SubscriptionChannels {
  readonly #requests = new WeakMap<object, Request>();
  readonly #socket: WebSocket;
  readonly #onSend: (path: string) => void;

  /** `onSend` is told of every frame written (for the per-procedure message counts). */
  constructor(socket: WebSocket, onSend: (path: string) => void) {
    this.#socket = socket;
    this.#onSend = onSend;
  }

  /**
   * Wraps the connection's encoder so every decoded subscription request is noted. A top-level
   * `lastEventId` is folded into the input here, as tRPC would otherwise do with a copy, so the
   * procedure sees the very object noted.
   */
  noting(encoder: Encoder): Encoder {
    return {
      encode: (message) => encoder.encode(message),
      decode: (data) => {
        const decoded: unknown = encoder.decode(data);
        for (const message of Array.isArray(decoded) ? decoded : [decoded]) this.#note(message as SubscriptionMessage);
        return decoded;
      },
    };
  }

  /** The channel of the request whose raw input is `rawInput`, if it is a subscription noted here. */
  channelFor(rawInput: unknown): SubscriptionChannel | undefined {
    const request = typeof rawInput === "object" && rawInput !== null ? this.#requests.get(rawInput) : undefined;
    if (!request) return undefined;
    const socket = this.#socket;
    const onSend = this.#onSend;
    return {
      requestId: request.id,
      jsonrpc: request.jsonrpc,
      send(frame) {
        // As tRPC's own replies: nothing once the socket is closing (its subscriptions are ending).
        if (socket.readyState !== WebSocket.OPEN) return;
        onSend(request.path);
        socket.send(frame, { binary: false }); // a Buffer would otherwise go out as a binary frame
      },
    };
  }

  #note(message: SubscriptionMessage): void {
    if (typeof message !== "object" || message === null || message.method !== "subscription") return;
    const { id, params } = message;
    if ((typeof id !== "string" && typeof id !== "number") || typeof params !== "object" || params === null) return;
    if (typeof params.path !== "string") return;
    const { input } = params;
    // Inputs that are not plain objects are refused by every subscription's schema; tRPC answers those.
    if (typeof input !== "object" || input === null || Array.isArray(input)) return;
    let rawInput = input as object;
    if (params.lastEventId !== undefined) {
      rawInput = { ...input, lastEventId: params.lastEventId };
      params.input = rawInput;
      delete params.lastEventId;
    }
    this.#requests.set(rawInput, { id, jsonrpc: message.jsonrpc === "2.0" ? "2.0" : undefined, path: params.path });
  }
}
