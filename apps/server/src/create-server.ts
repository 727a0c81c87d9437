import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { getWSConnectionHandler } from "@trpc/server/adapters/ws";
import { WebSocket, WebSocketServer } from "ws";
import { appRouter, CloseCode, wsEncoder, type Authenticator, type Deps } from "@cohort/api";
import { authenticated, createHttpContextFactory, createWsContextFactory } from "./create-context.js";
import type { Metrics } from "./metrics.js";
import { createProcedureMeter, NO_PROCEDURE, type ProcedureMeter } from "./procedure-meter.js";
import { SocketCorker } from "./socket-corker.js";
import { SubscriptionChannels } from "./subscription-channels.js";
import { refuseHttpSubscription } from "./refuse-http-subscription.js";
import { matchProjectZip, serveProjectZip } from "./routes/project-zip-route.js";

export interface CohortServerOptions {
  deps: Deps;
  authenticator: Authenticator;
  metrics: Metrics;
  /** Resolves when every dependency answers; used by GET /readyz. */
  checkReady: () => Promise<Record<string, boolean>>;
  /** Largest WebSocket frame accepted. @default 1_048_576 */
  maxMessageBytes?: number;
  /** A socket that has not authenticated by then is closed. @default 10_000 */
  authTimeoutMs?: number;
  /** Output buffered for a client that does not read; past it the client is cut off. @default 16 MiB */
  maxBufferedBytes?: number;
  /** More HTTP routes by exact path, e.g. `/testers/report`. @default {} */
  routes?: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>;
}

/** One port: tRPC over WebSocket and HTTP at /trpc, plus health, readiness and metrics. */
export function createCohortServer(options: CohortServerOptions) {
  const { deps, metrics } = options;
  const maxBufferedBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
  const trpcHttp = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    createContext: createHttpContextFactory(options),
    allowMethodOverride: false,
  });

  const httpServer = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path.startsWith("/trpc/")) {
      if (refuseHttpSubscription(appRouter, path.slice("/trpc/".length), res)) return;
      return void trpcHttp(req, res);
    }
    const zipRef = matchProjectZip(path);
    if (zipRef) return void serveProjectZip(req, res, zipRef, options);
    if (path === "/healthz") return sendJson(res, 200, { ok: true, instance: deps.instanceId });
    if (path === "/readyz") {
      return void options.checkReady().then(
        (checks) => sendJson(res, Object.values(checks).every(Boolean) ? 200 : 503, { ready: Object.values(checks).every(Boolean), checks }),
        () => sendJson(res, 503, { ready: false }),
      );
    }
    if (path === "/metrics") {
      return void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        res.end(text);
      });
    }
    const route = options.routes?.[path];
    if (route) return route(req, res);
    sendJson(res, 404, { error: "not found" });
  });

  const wss = new WebSocketServer({ server: httpServer, path: "/trpc", maxPayload: options.maxMessageBytes ?? 1_048_576 });
  const meter = createProcedureMeter({
    procedures: Object.keys(appRouter._def.procedures),
    messagesIn: metrics.messagesIn,
    messagesOut: metrics.messagesOut,
    encoder: wsEncoder,
  });
  const channelsOf = new WeakMap<WebSocket, SubscriptionChannels>();
  const wsContext = createWsContextFactory({ ...options, channelsOf }) as never;

  const corker = new SocketCorker();
  wss.on("connection", (socket: WebSocket, req: http.IncomingMessage) => {
    const channels = new SubscriptionChannels(socket, (path) => {
      meter.countOut(path);
      metrics.directFrames.inc();
    });
    channelsOf.set(socket, channels);
    // tRPC per connection (not applyWSSHandler), so each connection's encoder can tell which
    // procedure its messages belong to, and which request a subscription answers.
    getWSConnectionHandler({
      wss,
      router: appRouter,
      createContext: wsContext,
      experimental_encoder: channels.noting(meter.encoderFor()),
      keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    })(socket, req);
    metrics.connections.inc();
    socket.on("close", () => metrics.connections.dec());
    guardSends(socket, req.socket, { maxBufferedBytes, corker });
    const timer = setTimeout(() => {
      if (!authenticated.has(socket)) socket.close(CloseCode.AuthTimeout, "AUTH_TIMEOUT: no credentials were presented");
    }, options.authTimeoutMs ?? 10_000);
    socket.on("close", () => clearTimeout(timer));
  });

  return {
    httpServer,
    wss,
    async listen(port: number, host = "127.0.0.1"): Promise<{ port: number; url: string; wsUrl: string }> {
      await new Promise<void>((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => resolve());
      });
      const address = httpServer.address() as AddressInfo;
      const shownHost = host === "0.0.0.0" ? "127.0.0.1" : host;
      return { port: address.port, url: `http://${shownHost}:${address.port}`, wsUrl: `ws://${shownHost}:${address.port}/trpc` };
    },
    /** Tells every client to reconnect (elsewhere), then closes. */
    async close({ graceful = true }: { graceful?: boolean } = {}): Promise<void> {
      if (graceful) broadcastReconnect(wss, meter);
      for (const client of wss.clients) {
        if (graceful) client.close(CloseCode.GoingAway, "server shutting down");
        else client.terminate();
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

export type CohortServer = ReturnType<typeof createCohortServer>;

/** What applyWSSHandler's broadcastReconnectNotification sends: clients reconnect (elsewhere). */
function broadcastReconnect(wss: WebSocketServer, meter: ProcedureMeter) {
  const notice = wsEncoder.encode({ id: null, method: "reconnect" });
  for (const client of wss.clients) {
    if (client.readyState !== WebSocket.OPEN) continue;
    meter.countOut(NO_PROCEDURE);
    client.send(notice);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * Cuts off a client whose unread output passes the limit (so one client that never reads cannot
 * grow server memory without bound), and coalesces the frames of one event-loop turn into one write.
 */
function guardSends(socket: WebSocket, raw: Socket, options: { maxBufferedBytes: number; corker: SocketCorker }) {
  const { maxBufferedBytes, corker } = options;
  const send = socket.send.bind(socket) as (...args: unknown[]) => void;
  (socket as { send: unknown }).send = (...args: unknown[]) => {
    // Checked at the first frame of a turn, before any of this turn's frames are held back: what is
    // still queued then is output the client has not read.
    if (corker.hold(raw) && socket.bufferedAmount > maxBufferedBytes) {
      socket.terminate();
      return;
    }
    send(...args);
  };
}
