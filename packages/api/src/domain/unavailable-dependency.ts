import { AppError } from "../errors.js";

/** A backing service a call can fail on while it is down; "service" when the error names none. */
export type Dependency = "redis" | "database" | "file storage" | "service";

/**
 * What the client reads. Each names the dependency and nothing more: no host, port, driver
 * message or query, which the server's log keeps.
 */
const messages: Record<Dependency, string> = {
  redis: "Redis is unavailable, try again",
  database: "The database (PostgreSQL) is unavailable, try again",
  "file storage": "File storage is unavailable, try again",
  service: "A service this server depends on is unavailable, try again",
};

/** The `UNAVAILABLE` refusal for an outage of `dependency`. */
export function unavailableError(dependency: Dependency, cause?: unknown): AppError {
  return new AppError("UNAVAILABLE", messages[dependency], { cause });
}

/**
 * Which dependency `error` says is unreachable, or null when it is not a connection failure (a bug,
 * a bad query, a refused write: those stay INTERNAL). Follows `cause` links and Prisma's driver
 * adapter error, since each layer wraps the one below. Recognised by name, code and message rather
 * than by class, so that it holds across the copies of ioredis, Prisma and pg a workspace may load.
 */
export function unavailableDependency(error: unknown): Dependency | null {
  let bareNetworkError = false;
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < 8) {
    const link = pending.shift();
    if (!isObject(link) || seen.has(link)) continue;
    seen.add(link);
    const dependency = dependencyOf(link);
    if (dependency) return dependency;
    if (isNetworkCode(link.code)) bareNetworkError = true;
    pending.push(link.cause, isObject(link.meta) ? link.meta.driverAdapterError : undefined);
  }
  return bareNetworkError ? "service" : null;
}

type Link = Record<string, unknown>;

function dependencyOf(link: Link): Dependency | null {
  if (isRedisOutage(link)) return "redis";
  if (isDatabaseOutage(link)) return "database";
  if (isBlobStoreOutage(link)) return "file storage";
  return null;
}

// Refusals of ioredis while its connection (or the cluster's) is down or being re-established.
const REDIS_ERROR_NAMES = new Set(["MaxRetriesPerRequestError", "ClusterAllFailedError"]);
const REDIS_MESSAGES =
  /^(Connection is closed\.|Stream isn't writeable|Cluster isn't ready|Cluster is disconnect|None of startup nodes is available|Node is disconnected|Failed to refresh slots cache|Too many Cluster redirections)/;
// Replies of a node that cannot serve for now: slots without a master, still loading its data after
// a restart, or a master demoted by a failover while this client still wrote to it.
const REDIS_NOT_SERVING = /^(CLUSTERDOWN|LOADING|MASTERDOWN|TRYAGAIN|READONLY|NOREPLICAS)\b/;

function isRedisOutage({ name, message }: Link): boolean {
  if (typeof name === "string" && REDIS_ERROR_NAMES.has(name)) return true;
  if (typeof message !== "string") return false;
  return REDIS_MESSAGES.test(message) || (name === "ReplyError" && REDIS_NOT_SERVING.test(message));
}

// Prisma: server not reached (P1001), timed out (P1002, P1008), closed the connection (P1017), no
// pooled connection in time (P2024).
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// Kinds of Prisma's driver adapter errors (the pg adapter's) that mean the server is out of reach.
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TlsConnectionError", "TooManyConnections"]);
// SQLSTATE: class 08 (connection exception), too many connections, shutting down, starting up.
const SQLSTATES = /^(08...|53300|57P01|57P02|57P03)$/;
// node-postgres, when the socket goes away under a query or a connection cannot be opened.
const PG_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

function isDatabaseOutage(link: Link): boolean {
  const { name, code, kind, message } = link;
  if (name === "PrismaClientInitializationError") return true;
  if (typeof code === "string" && PRISMA_CODES.has(code)) return true;
  if (typeof kind === "string" && (ADAPTER_KINDS.has(kind) || (kind === "postgres" && typeof code === "string" && SQLSTATES.test(code)))) return true;
  if (typeof message === "string" && PG_MESSAGES.test(message)) return true;
  // Prisma stamps its version on what it rethrows from the driver, socket errors included.
  return typeof link.clientVersion === "string" && isNetworkCode(code);
}

function isBlobStoreOutage(link: Link): boolean {
  // The AWS SDK's errors carry `$metadata`; `$fault: "server"` is a 5xx (SlowDown, ServiceUnavailable…).
  if (!isObject(link.$metadata)) return false;
  return link.$fault === "server" || link.name === "TimeoutError" || isNetworkCode(link.code) || isNetworkCode(link.errno);
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

function isNetworkCode(code: unknown): boolean {
  return typeof code === "string" && NETWORK_CODES.has(code);
}

function isObject(value: unknown): value is Link {
  return typeof value === "object" && value !== null;
}
