import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import type { TemplateFile } from "../template.js";

/**
 * What most teams would build (and what the replaced system used): Socket.IO rooms with the Redis
 * adapter, so that several instances could share rooms. `j` joins (acked), `m` relays to the room
 * except the sender, `s` creates the project from the template on first use and returns it.
 */
export async function startSocketIoServer({ redisUrl, prefix, template }: { redisUrl: string; prefix: string; template: TemplateFile[] }) {
  const pub = new Redis(redisUrl);
  const sub = pub.duplicate();
  const projects = new Map<string, TemplateFile[]>();
  const server = http.createServer();
  const io = new Server(server, { adapter: createAdapter(pub, sub, { key: prefix }), transports: ["websocket"], serveClient: false });

  io.on("connection", (socket) => {
    socket.on("j", async (room: string, ack?: () => void) => {
      await socket.join(room);
      ack?.();
    });
    socket.on("m", (room: string, body: string) => {
      socket.to(room).emit("m", body);
    });
    socket.on("s", (project: string, ack?: (snapshot: { files: TemplateFile[] }) => void) => {
      let files = projects.get(project);
      if (!files) projects.set(project, (files = template.map((file) => ({ ...file }))));
      ack?.({ files });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      await io.close();
      pub.disconnect();
      sub.disconnect();
    },
  };
}
