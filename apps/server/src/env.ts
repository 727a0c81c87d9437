import os from "node:os";
import { z } from "zod";

const optionalString = z.string().trim().min(1).optional();
const int = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** A positive integer no larger than `max`: a limit that may tighten the API's, never loosen it. */
const atMost = (max: number) => z.coerce.number().int().positive().max(max).default(max);
/** Comma-separated values, e.g. subnet ids. */
const list = z
  .string()
  .default("")
  .transform((v) => v.split(",").map((item) => item.trim()).filter(Boolean));
const bool = (fallback: boolean) =>
  z.enum(["true", "false", "1", "0"]).default(fallback ? "true" : "false").transform((v) => v === "true" || v === "1");

/** Every variable the server reads; `.env.example` lists the same with the same defaults. */
export const serverEnvSchema = z
  .object({
    PORT: int(4000),
    HOST: z.string().default("0.0.0.0"),
    INSTANCE_ID: optionalString,
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DATABASE_URL: z.string().url().optional(),
    PGLITE_DIR: z.string().default(".data/pglite"),
    REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
    REDIS_KEY_PREFIX: z.string().default("cohort:"),
    JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters").optional(),
    JWT_JWKS_URL: z.string().url().optional(),
    JWT_ISSUER: optionalString,
    JWT_AUDIENCE: optionalString,
    AUTH_INTROSPECTION_URL: z.string().url().optional(),
    AUTH_INTROSPECTION_CACHE_MS: int(30_000),
    ADMIN_KEY: z.string().min(16, "ADMIN_KEY must be at least 16 characters"),
    PRESENCE_TTL_MS: int(20_000),
    PRESENCE_HEARTBEAT_MS: int(5_000),
    MAX_MESSAGE_BYTES: int(1_048_576),
    EVENT_LOG_MAX_LEN: int(10_000),
    ACCESS_CACHE_TTL_MS: int(30_000),
    RATE_LIMIT_CONNECTION_PER_SEC: int(30),
    RATE_LIMIT_CONNECTION_BURST: int(60),
    RATE_LIMIT_USER_PER_SEC: int(60),
    RATE_LIMIT_USER_BURST: int(120),
    RATE_LIMIT_CURSOR_PER_SEC: int(60),
    RATE_LIMIT_CURSOR_BURST: int(60),
    RATE_LIMIT_CURSOR_USER_PER_SEC: positiveInt(120),
    RATE_LIMIT_CURSOR_USER_BURST: positiveInt(120),
    MAX_SUBSCRIPTIONS_PER_CONNECTION: int(200),
    WS_MAX_BUFFERED_BYTES: int(16_777_216),
    EVENT_LOG_MAX_BUFFERED: int(5_000),
    MAX_INLINE_FILE_BYTES: int(262_144),
    MAX_FILE_BYTES: int(10_485_760),
    MAX_PROJECT_BYTES: int(52_428_800),
    MAX_PROJECT_FILES: int(5_000),
    MAX_TEMPLATE_ENTRIES: int(5_000),
    // API.md's path rules are the ceiling: requests are validated against them before any store.
    MAX_PATH_BYTES: atMost(1_024),
    MAX_PATH_SEGMENT_BYTES: atMost(255),
    TEMPLATE_CACHE_TTL_MS: positiveInt(600_000),
    READ_MANY_MAX_FILES: positiveInt(1_000),
    READ_MANY_MAX_BYTES: positiveInt(4_194_304),
    MAX_UPDATE_BYTES: int(262_144),
    CURSOR_INTERVAL_MS: int(50),
    BLOB_DIR: z.string().default(".data/blobs"),
    S3_BUCKET: optionalString,
    S3_REGION: z.string().default("us-east-1"),
    S3_ENDPOINT: z.string().url().optional(),
    S3_FORCE_PATH_STYLE: bool(false),
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
    BACKUP_INTERVAL_MS: int(60_000),
    BACKUP_IDLE_MS: int(600_000),
    BACKUP_VERSIONS: int(5),
    BACKUP_WORKER: bool(true),
    WS_AUTH_TIMEOUT_MS: int(10_000),
    MONITOR_MAX_TRACES_PER_SEC: int(200),
    MONITOR_REFRESH_MS: int(1_000),
    MONITOR_HEARTBEAT_MS: int(2_000),
    LOADTEST_REGISTER_TIMEOUT_MS: int(120_000),
    LOADTEST_REPORT_GRACE_MS: int(60_000),
    LOADTEST_START_LEAD_MS: int(2_000),
    LOADTEST_SUPERVISE_MS: int(1_000),
    LOADTEST_MAX_REPORT_BYTES: int(33_554_432),
    LOADTEST_LOCAL_LAUNCHER: bool(true),
    LOADTEST_LOCAL_STDIO: z.enum(["inherit", "ignore"]).default("inherit"),
    LOADTEST_TESTER_SCRIPT: optionalString,
    ECS_CLUSTER: optionalString,
    ECS_TASK_DEFINITION: optionalString,
    ECS_CONTAINER_NAME: z.string().trim().min(1).default("tester"),
    ECS_SUBNETS: list,
    ECS_SECURITY_GROUPS: list,
    ECS_CAPACITY_PROVIDER: z.enum(["FARGATE", "FARGATE_SPOT"]).default("FARGATE"),
    ECS_ASSIGN_PUBLIC_IP: bool(false),
    ECS_REGION: z.string().default("us-east-1"),
    ECS_ENDPOINT: z.string().url().optional(),
    QNA_MAX_THREADS_PER_FILE: int(100),
    QNA_MAX_COMMENTS_PER_THREAD: int(500),
  });

export type ServerEnv = z.infer<typeof serverEnvSchema> & {
  INSTANCE_ID: string;
  /** Passed on to local tester processes, which inherit nothing else (no secrets). */
  TESTER_PROCESS_ENV: Record<string, string>;
};

/** Reads and validates the environment once; prints every problem at once and exits on failure. */
export function readServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  // Empty strings count as unset, so `.env.example` can list a variable without choosing a value.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = serverEnvSchema.safeParse(cleaned);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`);
  // Checked here rather than as a refinement, which zod would skip while other fields are wrong.
  if (!cleaned.JWT_SECRET && !cleaned.JWT_JWKS_URL && !cleaned.AUTH_INTROSPECTION_URL) {
    problems.push("JWT_SECRET: set JWT_SECRET, JWT_JWKS_URL or AUTH_INTROSPECTION_URL");
  }
  if (!parsed.success || problems.length > 0) {
    throw new Error(`Invalid server environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  const path = source.PATH ?? process.env.PATH;
  return {
    ...parsed.data,
    INSTANCE_ID: parsed.data.INSTANCE_ID ?? `${os.hostname()}-${process.pid}`,
    TESTER_PROCESS_ENV: path ? { PATH: path } : {},
  };
}
