import { TRPCClientError, type TRPCWebSocketClient } from "@trpc/client";

/** The parts of tRPC's WebSocket client (11.x) this reaches into; checked before use. */
interface ClientInternals {
  flushOutgoing(message: unknown, callbacks: unknown): void;
  send(messages: unknown): void;
  activeConnection: { isOpen(): boolean; ws: unknown };
  reconnecting: unknown;
  nextConnection?: unknown;
  requestManager: {
    hasOutgoingRequests(): boolean;
    flush(ws: unknown): { message: { id?: unknown }; callbacks: { error(error: unknown): void } }[];
    delete(message: unknown): void;
  };
}

function hasInternals(client: unknown): client is ClientInternals {
  const c = client as Partial<ClientInternals>;
  return (
    typeof c.flushOutgoing === "function" &&
    typeof c.send === "function" &&
    typeof c.activeConnection?.isOpen === "function" &&
    typeof c.requestManager?.flush === "function" &&
    typeof c.requestManager.hasOutgoingRequests === "function" &&
    typeof c.requestManager.delete === "function"
  );
}

/**
 * tRPC's WebSocket client sends a request only after `setTimeout(0)`, so that the requests of one
 * tick leave as one batch; in Node that timer is at least 1 ms (browsers clamp nested timers to
 * 4 ms). Every edit and cursor move waited that long before leaving, which was a fifth of an
 * edit's delivery time in the benchmark. With this, what is queued leaves at the end of the
 * current microtasks instead (requests made together still leave together), whenever the
 * connection is open and not being replaced; tRPC's own delayed flush then finds nothing left.
 * While connecting or reconnecting, tRPC's path alone applies. If the client's internals are not
 * the ones this knows, it changes nothing.
 */
export function sendWithoutTimer(wsClient: TRPCWebSocketClient): void {
  const client: unknown = wsClient;
  if (!hasInternals(client)) return;
  const delayed = client.flushOutgoing.bind(client);
  let scheduled = false;
  const ready = () => client.activeConnection.isOpen() && client.reconnecting === null && (client.nextConnection ?? null) === null;
  const flushNow = () => {
    scheduled = false;
    if (!ready() || !client.requestManager.hasOutgoingRequests()) return;
    const requests = client.requestManager.flush(client.activeConnection.ws);
    try {
      client.send(requests.map((request) => request.message));
    } catch (error) {
      // As tRPC does when its own send fails: each request fails with the cause.
      for (const request of requests) {
        client.requestManager.delete(request.message);
        request.callbacks.error(TRPCClientError.from(error as Error));
      }
    }
  };
  client.flushOutgoing = (message, callbacks) => {
    delayed(message, callbacks);
    if (scheduled || !ready()) return;
    scheduled = true;
    queueMicrotask(flushNow);
  };
}
