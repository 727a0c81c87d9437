import { io, type Socket } from "socket.io-client";
import { encodeMarker, scanMarkers } from "../marker.js";
import { padding, type BenchClientFactory } from "./bench-client.js";

/** Client of the Socket.IO server (servers/socketio-server.ts): events `j` (join, acked), `m` (relay), `s` (snapshot, acked). */
export const createSocketIoClient: BenchClientFactory = (ctx) => {
  const pad = padding(ctx.spec.padBytes);
  let socket: Socket | undefined;

  const open = async () => {
    const opened = io(ctx.spec.url, { transports: ["websocket"], forceNew: true, reconnection: false, timeout: 20_000 });
    await new Promise<void>((resolve, reject) => {
      opened.once("connect", () => resolve());
      opened.once("connect_error", reject);
    });
    opened.on("m", (body: string) => {
      const at = ctx.now();
      if (scanMarkers(body, (marker) => ctx.deliver(marker, at)) === 0) ctx.unattributed();
    });
    socket = opened;
    return opened;
  };

  return {
    async connect() {
      const opened = await open();
      await Promise.all(ctx.client.watch.map((room) => opened.timeout(20_000).emitWithAck("j", room)));
    },
    send(kind, kseq, intendedAt) {
      const target = ctx.client.send;
      if (!socket?.connected || !target) return ctx.sendFailed(new Error("not connected"));
      socket.emit("m", target.room, `${encodeMarker({ sender: ctx.client.index, kind, from: kseq, to: kseq, intendedAt })}${pad}`);
    },
    async joinAndSync() {
      const opened = await open();
      const project = ctx.client.watch[0] ?? `p${ctx.client.index}`;
      const snapshot = (await opened.timeout(60_000).emitWithAck("s", project)) as { files: { path: string; content: string }[] };
      return snapshot.files.length;
    },
    async close() {
      socket?.disconnect();
    },
  };
};
