import { baselineServerScript, spawnServer } from "../servers/server-process.js";
import { plainClients, plainJoinClients, type SystemUnderTest } from "./topology.js";

export interface BaselineOptions {
  name: "ws" | "socketio" | "hocuspocus";
  redisUrl: string;
  /** Redis key prefix / channel of this run. */
  prefix: string;
  template: { files: number; bytesPerFile: number };
  nodeFlags?: string[];
}

/** Starts a baseline server (servers/server-main.ts) in its own process. */
export async function startBaseline(options: BaselineOptions): Promise<SystemUnderTest> {
  const server = await spawnServer({
    args: [baselineServerScript, options.name],
    env: {
      BENCH_REDIS_URL: options.redisUrl,
      BENCH_PREFIX: options.prefix,
      BENCH_TEMPLATE_FILES: String(options.template.files),
      BENCH_TEMPLATE_FILE_BYTES: String(options.template.bytesPerFile),
    },
    readyWhen: (line) => line.startsWith('{"listening":true'),
    ...(options.nodeFlags ? { nodeFlags: options.nodeFlags } : {}),
  });
  const port = Number(server.info.port);
  return {
    name: options.name,
    pid: server.pid,
    spawnedAt: server.spawnedAt,
    memory: () => server.memory(),
    // socket.io-client takes the http origin and upgrades itself.
    url: options.name === "socketio" ? `http://127.0.0.1:${port}` : `ws://127.0.0.1:${port}`,
    prepare: async (topology) => ({ clients: plainClients(topology) }),
    prepareJoin: async (clients) => ({ clients: plainJoinClients(clients) }),
    stop: () => server.stop(),
  };
}
