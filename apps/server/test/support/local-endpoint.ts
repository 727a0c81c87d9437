import http from "node:http";
import type { AddressInfo } from "node:net";

export interface LocalEndpoint {
  url: string;
  /** Bodies of the requests answered so far, in order (tests count calls with it). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A local HTTP endpoint a test starts for the server to call (a JWKS, an introspection API):
 * `answer` maps a request body to a JSON reply.
 */
export async function startLocalEndpoint(answer: (body: string) => { status?: number; json: unknown }): Promise<LocalEndpoint> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      requests.push(body);
      const { status = 200, json } = answer(body);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
