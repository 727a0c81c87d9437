import { testerProcessExited } from "@cohort/api";
import { AccessCache, createAuthenticator, createQnaFileHooks, CursorCoalescer, ParticipantQuota, RateLimiter, SubscriptionCap, type Deps } from "@cohort/api";
import { RedisDocStore } from "@cohort/collab";
import { createDb } from "@cohort/db";
import { RedisEventLog, RedisPresence, RedisTokenBuckets } from "@cohort/realtime";
import { createCohortServer } from "./create-server.js";
import { createRedis, subscriberOf, watchRedisErrors } from "./create-redis.js";
import { createBlobStore, createProjectFiles } from "./create-storage.js";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import type { ServerEnv } from "./env.js";
import { createLaunchers } from "./loadtest/create-launchers.js";
import { createReportRoute, REPORT_PATH } from "./loadtest/report-route.js";
import { startLoadTestSupervisor } from "./loadtest/start-supervisor.js";
import { startInstanceHeartbeat } from "./monitor/instance-heartbeat.js";
import { RedisMonitor } from "./monitor/redis-monitor.js";

/**
 * Composition root: builds every adapter from the validated environment and wires them into the
 * server. main.ts and the integration tests both start Cohort through this.
 */
export async function createApp(env: ServerEnv) {
  const logger = createLogger({ level: env.LOG_LEVEL, instanceId: env.INSTANCE_ID });
  const metrics = createMetrics();
  const db = await createDb({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR });
  const redis = watchRedisErrors(createRedis(env.REDIS_URL), logger);
  const events = new RedisEventLog({
    redis,
    createSubscriber: () => watchRedisErrors(subscriberOf(redis), logger),
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

  const access = new AccessCache({ db, events, ttlMs: env.ACCESS_CACHE_TTL_MS });
  const blobs = createBlobStore(env);
  const { files, backups } = createProjectFiles({ env, redis, db, blobs });
  if (env.BACKUP_WORKER) backups.start();
  const docs = new RedisDocStore({ redis, prefix: env.REDIS_KEY_PREFIX, maxUpdateBytes: env.MAX_UPDATE_BYTES });
  const cursors = new CursorCoalescer<() => void>(env.CURSOR_INTERVAL_MS);
  // Per-participant limits over every instance: token buckets in Redis, leased a few at a time.
  const tokenBuckets = new RedisTokenBuckets({ redis, prefix: env.REDIS_KEY_PREFIX });
  const sharedLimitUnavailable = (error: unknown) => logger.warn({ err: error }, "shared rate limit unavailable; this instance's limits still apply");
  const deps: Deps = {
    db,
    events,
    presence,
    access,
    projects: files,
    files,
    docs,
    cursors,
    subscriptionCap: new SubscriptionCap(env.MAX_SUBSCRIPTIONS_PER_CONNECTION),
    rateLimiter: new RateLimiter({
      perConnection: { ratePerSec: env.RATE_LIMIT_CONNECTION_PER_SEC, burst: env.RATE_LIMIT_CONNECTION_BURST },
      perUser: { ratePerSec: env.RATE_LIMIT_USER_PER_SEC, burst: env.RATE_LIMIT_USER_BURST },
      cursorPerConnection: { ratePerSec: env.RATE_LIMIT_CURSOR_PER_SEC, burst: env.RATE_LIMIT_CURSOR_BURST },
    }),
    participantQuota: new ParticipantQuota({
      buckets: tokenBuckets,
      limit: { ratePerSec: env.RATE_LIMIT_USER_PER_SEC, burst: env.RATE_LIMIT_USER_BURST },
      onUnavailable: sharedLimitUnavailable,
    }),
    participantCursorQuota: new ParticipantQuota({
      buckets: tokenBuckets,
      name: "cursors",
      limit: { ratePerSec: env.RATE_LIMIT_CURSOR_USER_PER_SEC, burst: env.RATE_LIMIT_CURSOR_USER_BURST },
      onUnavailable: sharedLimitUnavailable,
    }),
    limits: {
      maxPathBytes: env.MAX_PATH_BYTES,
      maxFileBytes: env.MAX_FILE_BYTES,
      maxUpdateBytes: env.MAX_UPDATE_BYTES,
      cursorIntervalMs: env.CURSOR_INTERVAL_MS,
      qna: { maxThreadsPerFile: env.QNA_MAX_THREADS_PER_FILE, maxCommentsPerThread: env.QNA_MAX_COMMENTS_PER_THREAD },
      readMany: { maxFiles: env.READ_MANY_MAX_FILES, maxBytes: env.READ_MANY_MAX_BYTES },
    },
    logger,
    instanceId: env.INSTANCE_ID,
    now: Date.now,
    observe: metrics.observe,
  };
  // Q&A references follow their files: renames move them, deletes mark them outdated.
  const qnaHooks = createQnaFileHooks(deps);
  deps.onRenamed = qnaHooks.onRenamed;
  deps.onDeleted = qnaHooks.onDeleted;
  // Live monitoring (costs a map lookup per event while nobody watches) and load tests.
  const monitor = new RedisMonitor({
    redis,
    events,
    prefix: env.REDIS_KEY_PREFIX,
    instanceId: env.INSTANCE_ID,
    logger,
    maxTracesPerSec: env.MONITOR_MAX_TRACES_PER_SEC,
    refreshMs: env.MONITOR_REFRESH_MS,
  });
  monitor.start();
  deps.monitor = monitor;
  deps.blobs = blobs;
  deps.launchers = createLaunchers(env, {
    logger,
    onTesterExit: (exit) =>
      void testerProcessExited(deps, exit).catch((error: unknown) => logger.warn({ err: error, ...exit }, "tester exit not recorded")),
  });
  deps.loadtest = {
    registerTimeoutMs: env.LOADTEST_REGISTER_TIMEOUT_MS,
    reportGraceMs: env.LOADTEST_REPORT_GRACE_MS,
    startLeadMs: env.LOADTEST_START_LEAD_MS,
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
    maxBufferedBytes: env.WS_MAX_BUFFERED_BYTES,
    routes: { [REPORT_PATH]: createReportRoute({ deps, maxBytes: env.LOADTEST_MAX_REPORT_BYTES }) },
    checkReady: async () => {
      const [redisOk, dbOk] = await Promise.all([
        redis.ping().then(() => true, () => false),
        db.$queryRaw`SELECT 1`.then(() => true, () => false),
      ]);
      return { redis: redisOk, database: dbOk };
    },
  });

  const heartbeat = startInstanceHeartbeat({ monitor, metrics, instanceId: env.INSTANCE_ID, logger, everyMs: env.MONITOR_HEARTBEAT_MS });
  const supervisor = startLoadTestSupervisor({ deps, everyMs: env.LOADTEST_SUPERVISE_MS });

  return {
    deps,
    redis,
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
      supervisor.stop();
      monitor.stop();
      await heartbeat.stop({ graceful });
      await presence.stop({ graceful });
      await events.close();
      redis.disconnect();
      await db.$disconnect();
    },
  };
}

export type CohortApp = Awaited<ReturnType<typeof createApp>>;
