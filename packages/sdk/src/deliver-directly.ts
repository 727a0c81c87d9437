import type { TRPCWebSocketClient } from "@trpc/client";

/** A subscription's data: exactly what tRPC's `onData` would get (for a tracked event, `{ id, data }`). */
export type DirectDelivery = (data: unknown) => void;

/** The parts of tRPC's WebSocket client (11.x) this reaches into; checked before use. */
interface RequestInternals {
  message?: { params?: { input?: unknown } };
  callbacks?: { next?: unknown };
}

interface ClientInternals {
  requestManager: {
    getOutgoingRequests(): RequestInternals[];
    getPendingRequests(): RequestInternals[];
  };
}

function hasRequests(client: unknown): client is ClientInternals {
  const manager = (client as Partial<ClientInternals>).requestManager;
  return typeof manager?.getOutgoingRequests === "function" && typeof manager.getPendingRequests === "function";
}

/**
 * Hands a subscription's data frames to `deliver` as soon as tRPC's client has done its own
 * bookkeeping for them (request lookup, the last event id it resumes from, duplicates dropped while
 * moving to a new connection), skipping what comes after: a copy of every result, then four
 * observable layers and the client's tracked-envelope object per event. On a busy project that was a
 * third of an IDE's (or a load generator's) time per received event. Everything that is not data
 * (started, stopped, errors) still goes tRPC's way, so the subscription's lifecycle, reconnects and
 * resumes are tRPC's as before.
 *
 * The subscription is the one whose request carries `input` (the same object: the client is built
 * without a transformer, so the input is sent as given). Call it right after `subscribe`, which
 * registers the request synchronously. Returns false, changing nothing, when the request is not
 * found or the client's internals are not the ones this knows; the caller's `onData` then serves.
 */
export function deliverDirectly(wsClient: TRPCWebSocketClient, input: object, deliver: DirectDelivery): boolean {
  const client: unknown = wsClient;
  if (!hasRequests(client)) return false;
  const { requestManager } = client;
  const request = [...requestManager.getOutgoingRequests(), ...requestManager.getPendingRequests()].find((r) => r.message?.params?.input === input);
  const callbacks = request?.callbacks;
  const next = callbacks?.next;
  if (!callbacks || typeof next !== "function") return false;
  // The callbacks object is shared by every copy of the request tRPC makes when it resends it on a
  // new connection, so this holds across reconnects.
  callbacks.next = (message: { result?: { type?: string; data?: unknown } }) => {
    const result = message.result;
    if (result?.type !== "data") return (next as (m: unknown) => void).call(callbacks, message);
    deliver(result.data);
  };
  return true;
}
