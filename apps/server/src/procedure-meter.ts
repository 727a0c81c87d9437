import type { Encoder } from "@trpc/server/adapters/ws";
import type { Counter } from "prom-client";

/** Label of messages about no procedure: connection params, connection-level errors, reconnect notices. */
export const NO_PROCEDURE = "none";
/** Label of calls to paths the router does not have; keeps the label set bounded whatever clients send. */
export const UNKNOWN_PROCEDURE = "unknown";

interface Request {
  label: string;
  subscription: boolean;
}

type Message = { id?: unknown; method?: unknown; params?: { path?: unknown }; result?: { type?: unknown }; error?: unknown };

/**
 * Counts WebSocket messages in and out by procedure. Each connection gets an encoder of its own
 * (wrapping `encoder`) that sees the decoded requests, so it learns which procedure each request
 * id belongs to and counts replies and subscription items under that procedure. Only the router's
 * paths become labels, so cardinality stays bounded.
 */
export function createProcedureMeter(options: {
  procedures: Iterable<string>;
  messagesIn: Counter<"procedure">;
  messagesOut: Counter<"procedure">;
  encoder: Encoder;
}) {
  const known = new Set(options.procedures);
  // Label children bound once: `inc()` on a child skips hashing the labels per message.
  const bind = (counter: Counter<"procedure">) =>
    new Map([...known, NO_PROCEDURE, UNKNOWN_PROCEDURE].map((label) => [label, counter.labels(label)] as const));
  const inCounters = bind(options.messagesIn);
  const outCounters = bind(options.messagesOut);
  const labelOf = (path: unknown) => (typeof path === "string" && known.has(path) ? path : UNKNOWN_PROCEDURE);

  return {
    /** Counts a message sent outside any connection's encoder (e.g. a reconnect notice to all). */
    countOut(label: string) {
      outCounters.get(label)?.inc();
    },
    /** The encoder of one connection. */
    encoderFor(): Encoder {
      const requests = new Map<unknown, Request>();
      // Subscriptions that failed while running still get a "stopped" after their error; those
      // that failed at setup do not, so this is emptied now and then to stay bounded.
      const failed = new Map<unknown, string>();

      const received = (message: Message): string => {
        const { id, method } = message;
        if (method === "query" || method === "mutation" || method === "subscription") {
          const label = labelOf(message.params?.path);
          if (typeof id === "string" || typeof id === "number") requests.set(id, { label, subscription: method === "subscription" });
          return label;
        }
        if (method === "subscription.stop") return requests.get(id)?.label ?? UNKNOWN_PROCEDURE;
        return method === "connectionParams" ? NO_PROCEDURE : UNKNOWN_PROCEDURE;
      };

      const sent = (message: Message): string => {
        const { id } = message;
        if (id === null || id === undefined) return NO_PROCEDURE;
        const request = requests.get(id);
        const type = message.result?.type;
        if (!request) {
          const label = failed.get(id);
          if (label !== undefined && type === "stopped") failed.delete(id);
          return label ?? UNKNOWN_PROCEDURE;
        }
        // A reply ends a query or mutation; "stopped" or an error ends a subscription.
        if (message.error !== undefined) {
          requests.delete(id);
          if (request.subscription) {
            if (failed.size >= 100) failed.clear();
            failed.set(id, request.label);
          }
        } else if (!request.subscription || type === "stopped") {
          requests.delete(id);
        }
        return request.label;
      };

      return {
        decode(data) {
          let decoded: unknown;
          try {
            decoded = options.encoder.decode(data);
          } catch (error) {
            inCounters.get(UNKNOWN_PROCEDURE)!.inc();
            throw error;
          }
          for (const message of Array.isArray(decoded) ? decoded : [decoded]) {
            inCounters.get(typeof message === "object" && message !== null ? received(message as Message) : UNKNOWN_PROCEDURE)!.inc();
          }
          return decoded;
        },
        encode(message) {
          outCounters.get(sent(message as Message))!.inc();
          return options.encoder.encode(message);
        },
      };
    },
  };
}

export type ProcedureMeter = ReturnType<typeof createProcedureMeter>;
