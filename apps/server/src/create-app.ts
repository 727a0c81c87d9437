import { AccessCache, createAuthenticator, CursorCoalescer, type Deps } from "@cohort/api";
import { RedisDocStore } from "@cohort/collab";
import { createDb } from "@cohort/db";
import { RedisEventLog, RedisPresence } from "@cohort/realtime";
import { createCohortServer } from "./create-server.js";
import { createRedis } from "./create-redis.js";
import { createBlobStore, createProjectFiles } from "./create-storage.js";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import type { ServerEnv } from "./env.js";

/**
 * Composition root: builds every adapter from the validated environment and wires them into the
 * server. main.ts and the integration tests both start Cohort through this.
 */
export async function createApp(env: ServerEnv) {
  const logger = createLogger({ level: env.LOG_LEVEL, instanceId: env.INSTANCE_ID });
  const metrics = createMetrics();
  const db = await createDb({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR });
  const redis = createRedis(env.REDIS_URL);
  const events = new RedisEventLog({
    redis,
    createSubscriber: () => redis.duplicate(),
    prefix: env.REDIS_KEY_PREFIX,
    maxLen: env.EVENT_LOG_MAX_LEN,
    maxBufferedPerSubscriber: env.EVENT_LOG_MAX_BUFFERED,
  });
  const presence = new RedisPresence({
    redis,
    log: events,
    prefix: env.REDIS_KEY_PREFIX,
    instanceId: env.INSTANCE_ID,
    ttlMs: env.PRESENCE_TTL_MS,
    heartbeatMs: env.PRESENCE_HEARTBEAT_MS,
  });
  presence.start();

  const access = new AccessCache({ db, events });
  const blobs = createBlobStore(env);
  const { files, backups } = createProjectFiles({ env, redis, db, blobs });
  if (env.BACKUP_WORKER) backups.start();
  const docs = new RedisDocStore({ redis, prefix: env.REDIS_KEY_PREFIX, maxUpdateBytes: env.MAX_UPDATE_BYTES });
  const cursors = new CursorCoalescer<() => void>(env.CURSOR_INTERVAL_MS);
  const deps: Deps = {
    db,
    events,
    presence,
    access,
    projects: files,
    files,
    docs,
    cursors,
    limits: {
      maxPathBytes: 1024,
      maxFileBytes: env.MAX_FILE_BYTES,
      maxUpdateBytes: env.MAX_UPDATE_BYTES,
      cursorIntervalMs: env.CURSOR_INTERVAL_MS,
    },
    logger,
    instanceId: env.INSTANCE_ID,
    now: Date.now,
    observe: metrics.observe,
  };
  const authenticator = createAuthenticator({
    db,
    jwtSecret: env.JWT_SECRET,
    jwksUrl: env.JWT_JWKS_URL,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    introspectionUrl: env.AUTH_INTROSPECTION_URL,
    introspectionCacheMs: env.AUTH_INTROSPECTION_CACHE_MS,
    adminKey: env.ADMIN_KEY,
  });

  const server = createCohortServer({
    deps,
    authenticator,
    metrics,
    maxMessageBytes: env.MAX_MESSAGE_BYTES,
    authTimeoutMs: env.WS_AUTH_TIMEOUT_MS,
    checkReady: async () => {
      const [redisOk, dbOk] = await Promise.all([
        redis.ping().then(() => true, () => false),
        db.$queryRaw`SELECT 1`.then(() => true, () => false),
      ]);
      return { redis: redisOk, database: dbOk };
    },
  });

  return {
    deps,
    files,
    blobs,
    backups,
    server,
    logger,
    listen: (port = env.PORT, host = env.HOST) => server.listen(port, host),
    /** graceful: clients are told to reconnect and presence says goodbye; otherwise a simulated crash. */
    async close({ graceful = true }: { graceful?: boolean } = {}) {
      await server.close({ graceful });
      access.close();
      cursors.close();
      backups.stop();
      await presence.stop({ graceful });
      await events.close();
      redis.disconnect();
      await db.$disconnect();
    },
  };
}

export type CohortApp = Awaited<ReturnType<typeof createApp>>;
