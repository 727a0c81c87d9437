import type { ClockEstimate } from "./time-sync.js";

/** Options of {@link createCohortClient}. */
export interface CohortClientOptions {
  /**
   * WebSocket URL of a Cohort server, e.g. `ws://localhost:4000/trpc`, or several instances:
   * each (re)connection tries the next, so a client fails over when its instance goes away.
   */
  url: string | readonly string[];
  /** A user's JWT. Exactly one of `token`, `adminKey` and `tester`. */
  token?: string;
  /** The admin key (console, tools). */
  adminKey?: string;
  /**
   * A load-test tester's credentials: the per-test token, and for a virtual client the tester
   * account it acts as (`asUserId`). Exactly one of `token`, `adminKey` and `tester`.
   */
  tester?: { testId: number; testToken: string; asUserId?: number };
  /**
   * A clock estimate kept elsewhere, used until this client's own `syncClock`: the clients of one
   * process share the machine's clock, so one estimate serves them all (load testers), and clients
   * that must compare times never disagree about the offset.
   */
  sharedClock?: () => ClockEstimate | null;
  /** WebSocket implementation for runtimes without a global one (Node 20: pass `ws`). */
  WebSocket?: unknown;
  /**
   * Delay before reconnect attempt `n` (0-based).
   * @default exponential backoff from 250 ms to 10 s with ±20 % jitter
   */
  retryDelayMs?: (attempt: number) => number;
  /** Called when the connection opens, closes, or is refused. */
  onConnectionChange?: (state: ConnectionState) => void;
  /**
   * Sends pings and treats a silent server as gone.
   * @default { intervalMs: 10_000, pongTimeoutMs: 5_000 }
   */
  keepAlive?: { intervalMs: number; pongTimeoutMs: number };
}

export type ConnectionState =
  | { state: "open" }
  | { state: "closed"; code?: number | undefined }
  | { state: "refused"; code: number; reason: string };

export function defaultRetryDelayMs(attempt: number): number {
  const base = Math.min(250 * 2 ** attempt, 10_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
