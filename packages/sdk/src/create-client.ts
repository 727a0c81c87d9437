import { createTRPCClient, createWSClient, wsLink, type TRPCClient } from "@trpc/client";
import type { AppRouter } from "@cohort/api";
import { defaultRetryDelayMs, type CohortClientOptions, type ConnectionState } from "./options.js";
import { estimateClock, type ClockEstimate, type TimeSample } from "./time-sync.js";
import { LiveDocument, type LiveDocumentOptions } from "./live-document.js";
import { ProjectEventStream } from "./project-events.js";
import type { ReceiptClock } from "./stamp-receipt.js";
import { decodeTextOnce } from "./decode-text-once.js";
import { sendWithoutTimer } from "./send-without-timer.js";
import { deliverDirectly } from "./deliver-directly.js";
import { readProject, type ProjectFile, type ReadProjectInput } from "./read-project.js";

/** Close codes after which reconnecting with the same credentials cannot help. */
const FATAL_CLOSE_CODES = new Set([4401, 4403]);

export type CohortApi = TRPCClient<AppRouter>;

export interface CohortClient {
  /** Every procedure of the API, fully typed. */
  api: CohortApi;
  /** Samples the server clock (`session.timeSync`) and keeps the minimum-RTT estimate. */
  syncClock(samples?: number): Promise<ClockEstimate>;
  /** The last clock estimate (this client's own, else `options.sharedClock`'s), or null before any. */
  readonly clock: ClockEstimate | null;
  /** Local time corrected to the server's clock (ms). */
  serverNow(): number;
  /**
   * Opens a text file as a live document. Files of one project share one `project.watch`.
   * Close the document when done; the watch ends with its last document.
   */
  openFile(input: { lessonId: number; ownerId: number; path: string } & Pick<LiveDocumentOptions, "cursorIntervalMs" | "trace">): Promise<LiveDocument>;
  /**
   * The content of every file of a project, or of the named ones (`files.readMany`, page after
   * page), in path order. To keep a copy current, hold `watchProject` first and read after it is
   * ready, so that no change falls between the read and the first event.
   */
  readProject(input: ReadProjectInput): Promise<ProjectFile[]>;
  /** The shared event stream of a project (what `openFile` uses); `release()` when done. */
  watchProject(input: { lessonId: number; ownerId: number }): { stream: ProjectEventStream; release(): void };
  /** Current connection state. */
  readonly connection: ConnectionState;
  close(): Promise<void>;
}

/**
 * Connects an IDE front end (or a tool) to Cohort over one WebSocket. Subscriptions resume after a
 * reconnect: tRPC resends the id of the last tracked event as `lastEventId`, so missed events arrive.
 */
export function createCohortClient(options: CohortClientOptions): CohortClient {
  if ([options.token, options.adminKey, options.tester].filter(Boolean).length !== 1) {
    throw new TypeError("createCohortClient needs exactly one of token, adminKey and tester");
  }
  const WebSocketImpl = (options.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket) as typeof WebSocket | undefined;
  if (!WebSocketImpl) throw new TypeError("No WebSocket implementation: pass options.WebSocket (e.g. the `ws` package)");

  let connection: ConnectionState = { state: "closed" };
  let ownClock: ClockEstimate | null = null;
  const currentClock = () => ownClock ?? options.sharedClock?.() ?? null;
  const receiptClock: ReceiptClock = { nowMs: () => Date.now(), estimate: currentClock };
  const setConnection = (next: ConnectionState) => {
    connection = next;
    options.onConnectionChange?.(next);
  };

  const urls = typeof options.url === "string" ? [options.url] : [...options.url];
  if (urls.length === 0) throw new TypeError("createCohortClient needs at least one url");
  let connects = 0;
  const wsClient = createWSClient({
    url: () => urls[connects++ % urls.length] as string,
    WebSocket: decodeTextOnce(WebSocketImpl),
    connectionParams: connectionParamsOf(options),
    retryDelayMs: options.retryDelayMs ?? defaultRetryDelayMs,
    keepAlive: { enabled: true, ...(options.keepAlive ?? { intervalMs: 10_000, pongTimeoutMs: 5_000 }) },
    onOpen: () => setConnection({ state: "open" }),
    onClose: (cause) => {
      const code = cause?.code;
      if (code !== undefined && FATAL_CLOSE_CODES.has(code)) {
        setConnection({ state: "refused", code, reason: "credentials refused" });
        // Retrying with the same credentials would be refused again, forever.
        void wsClient.close();
        return;
      }
      setConnection({ state: "closed", code });
    },
  });

  sendWithoutTimer(wsClient);
  const api = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });

  const streams = new Map<string, { stream: ProjectEventStream; users: number }>();
  const watchProject = (input: { lessonId: number; ownerId: number }) => {
    const key = `${input.lessonId}:${input.ownerId}`;
    let shared = streams.get(key);
    if (!shared) {
      // No transformer on this client: the subscription's data is the server's JSON as it is.
      const direct = (watchInput: object, deliver: Parameters<typeof deliverDirectly>[2]) => deliverDirectly(wsClient, watchInput, deliver);
      shared = { stream: new ProjectEventStream(api, input, { clock: receiptClock, direct }), users: 0 };
      streams.set(key, shared);
    }
    shared.users++;
    const entry = shared;
    let released = false;
    return {
      stream: entry.stream,
      release() {
        if (released) return;
        released = true;
        if (--entry.users === 0) {
          entry.stream.close();
          streams.delete(key);
        }
      },
    };
  };

  return {
    api,
    get clock() {
      return currentClock();
    },
    get connection() {
      return connection;
    },
    serverNow: () => Date.now() + (currentClock()?.offsetMs ?? 0),
    async syncClock(samples = 5) {
      const taken: TimeSample[] = [];
      for (let i = 0; i < samples; i++) {
        const t0 = Date.now();
        const reply = await api.session.timeSync.mutate({ t0 });
        taken.push({ t0, serverReceive: reply.serverReceive, serverSend: reply.serverSend, t3: Date.now() });
      }
      ownClock = estimateClock(taken);
      return ownClock;
    },
    watchProject,
    readProject: (input) => readProject(api, input),
    async openFile({ lessonId, ownerId, path, ...options }) {
      const watch = watchProject({ lessonId, ownerId });
      try {
        const live = await LiveDocument.open({ api, events: watch.stream, lessonId, ownerId, path, ...options });
        const close = live.close.bind(live);
        live.close = () => {
          close();
          watch.release();
        };
        return live;
      } catch (error) {
        watch.release();
        throw error;
      }
    },
    async close() {
      for (const { stream } of streams.values()) stream.close();
      streams.clear();
      await wsClient.close();
    },
  };
}

/** What the server authenticates the connection with (tRPC sends it as the first message). */
function connectionParamsOf(options: CohortClientOptions): Record<string, string> {
  if (options.token) return { token: options.token };
  if (options.tester) {
    const { testId, testToken, asUserId } = options.tester;
    return { testToken, testId: String(testId), ...(asUserId === undefined ? {} : { asUserId: String(asUserId) }) };
  }
  return { adminKey: options.adminKey as string };
}
