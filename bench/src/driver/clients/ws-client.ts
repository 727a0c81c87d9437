import WebSocket from "ws";
import { encodeMarker, scanMarkers } from "../marker.js";
import { padding, type BenchClientFactory } from "./bench-client.js";

/**
 * Client of the raw ws relay (servers/ws-server.ts). Text frames: `j|<room>` joins (answered by
 * `J|<room>`), `m|<room>|<body>` is relayed to the room, `s|<project>` asks for a project snapshot
 * (answered by `S|<json>`).
 */
export const createWsClient: BenchClientFactory = (ctx) => {
  const pad = padding(ctx.spec.padBytes);
  let socket: WebSocket | undefined;
  const joinWaiters = new Map<string, () => void>();
  let snapshotWaiter: ((text: string) => void) | undefined;

  const onMessage = (data: WebSocket.RawData) => {
    const at = ctx.now();
    const text = data.toString();
    const type = text.charCodeAt(0);
    if (type === 109 /* m */) {
      if (scanMarkers(text, (marker) => ctx.deliver(marker, at)) === 0) ctx.unattributed();
    } else if (type === 74 /* J */) {
      const room = text.slice(2);
      joinWaiters.get(room)?.();
      joinWaiters.delete(room);
    } else if (type === 83 /* S */) {
      snapshotWaiter?.(text.slice(2));
    }
  };

  const open = async () => {
    const opened = new WebSocket(ctx.spec.url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      opened.once("open", () => resolve());
      opened.once("error", reject);
    });
    opened.on("error", () => undefined);
    opened.on("message", onMessage);
    socket = opened;
    return opened;
  };

  const join = (opened: WebSocket, room: string) =>
    new Promise<void>((resolve) => {
      joinWaiters.set(room, resolve);
      opened.send(`j|${room}`);
    });

  return {
    async connect() {
      const opened = await open();
      await Promise.all(ctx.client.watch.map((room) => join(opened, room)));
    },
    send(kind, kseq, intendedAt) {
      const target = ctx.client.send;
      if (!socket || socket.readyState !== WebSocket.OPEN || !target) return ctx.sendFailed(new Error("not connected"));
      socket.send(`m|${target.room}|${encodeMarker({ sender: ctx.client.index, kind, from: kseq, to: kseq, intendedAt })}${pad}`);
    },
    async joinAndSync() {
      const opened = await open();
      const project = ctx.client.watch[0] ?? `p${ctx.client.index}`;
      const text = await new Promise<string>((resolve) => {
        snapshotWaiter = resolve;
        opened.send(`s|${project}`);
      });
      const snapshot = JSON.parse(text) as { files: { path: string; content: string }[] };
      return snapshot.files.length;
    },
    async close() {
      socket?.terminate();
    },
  };
};
