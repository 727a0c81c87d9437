import WebSocket from "ws";

/** Opens a bare WebSocket, sends tRPC connectionParams, and reports how the server closed it. */
export function rawConnect(wsUrl: string, params: Record<string, unknown> | null, { waitMs = 3_000 } = {}) {
  return new Promise<{ code: number; reason: string; messages: string[] }>((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}?connectionParams=1`);
    const messages: string[] = [];
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error("server did not close the connection"));
    }, waitMs);
    socket.on("open", () => {
      if (params) socket.send(JSON.stringify({ method: "connectionParams", data: params }));
    });
    socket.on("message", (data) => messages.push(String(data)));
    socket.on("close", (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString(), messages });
    });
    socket.on("error", () => undefined);
  });
}
