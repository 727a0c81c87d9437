import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { TemplateFile } from "../template.js";

const BAR = 0x7c; // "|"

/**
 * The platform's floor: a minimal relay with no parsing beyond the room name. Each frame
 * `m|<room>|…` goes, unchanged, to every other client in the room. `j|<room>` joins (acked with
 * `J|<room>`); `s|<project>` creates the project from the template on first use and sends it.
 */
export async function startWsRelay({ template }: { template: TemplateFile[] }): Promise<{ port: number; close(): Promise<void> }> {
  const rooms = new Map<string, Set<WebSocket>>();
  const projects = new Map<string, TemplateFile[]>();
  const server = http.createServer((_req, res) => res.end("ws relay"));
  const wss = new WebSocketServer({ server, perMessageDeflate: false });

  wss.on("connection", (socket) => {
    const joined = new Set<string>();
    socket.on("message", (data: RawData, isBinary: boolean) => {
      const frame = data as Buffer;
      const type = frame[0];
      if (type === 0x6d /* m */) {
        const end = frame.indexOf(BAR, 2);
        const members = rooms.get(frame.toString("latin1", 2, end));
        if (!members) return;
        for (const member of members) if (member !== socket && member.readyState === 1) member.send(frame, { binary: isBinary });
      } else if (type === 0x6a /* j */) {
        const room = frame.toString("utf8", 2);
        let members = rooms.get(room);
        if (!members) rooms.set(room, (members = new Set()));
        members.add(socket);
        joined.add(room);
        socket.send(`J|${room}`);
      } else if (type === 0x73 /* s */) {
        const project = frame.toString("utf8", 2);
        let files = projects.get(project);
        if (!files) projects.set(project, (files = template.map((file) => ({ ...file }))));
        socket.send(`S|${JSON.stringify({ files })}`);
      }
    });
    socket.on("close", () => {
      for (const room of joined) {
        const members = rooms.get(room);
        members?.delete(socket);
        if (members?.size === 0) rooms.delete(room);
      }
    });
    socket.on("error", () => undefined);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
