import { createApp } from "./create-app.js";
import { readServerEnv } from "./env.js";

let env;
try {
  env = readServerEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const app = await createApp(env);
const { url, wsUrl } = await app.listen();
app.logger.info({ url, wsUrl }, "cohort server listening");

let closing = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.logger.info({ signal }, "shutting down; clients are told to reconnect");
    app.close({ graceful: true }).then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
