// A baseline server as its own process (the coordinator and the drivers never share its CPU).
// Prints one JSON line `{"listening":true,"port":…}` once it accepts connections.
import { templateFiles } from "../template.js";
import { startHocuspocusServer } from "./hocuspocus-server.js";
import { startSocketIoServer } from "./socketio-server.js";
import { startWsRelay } from "./ws-server.js";

const system = process.argv[2];
const redisUrl = process.env.BENCH_REDIS_URL || "redis://127.0.0.1:6379";
const prefix = process.env.BENCH_PREFIX || "bench";
const template = templateFiles(Number(process.env.BENCH_TEMPLATE_FILES || 0), Number(process.env.BENCH_TEMPLATE_FILE_BYTES || 2_000));

const started =
  system === "ws"
    ? await startWsRelay({ template })
    : system === "socketio"
      ? await startSocketIoServer({ redisUrl, prefix, template })
      : system === "hocuspocus"
        ? await startHocuspocusServer({ redisUrl, prefix, template })
        : undefined;
if (!started) {
  console.error(`unknown system ${system}`);
  process.exit(1);
}
console.log(JSON.stringify({ listening: true, system, port: started.port }));

let closing = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    const forced = setTimeout(() => process.exit(0), 3_000);
    forced.unref();
    void started.close().finally(() => process.exit(0));
  });
}
