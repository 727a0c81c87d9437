import { Cluster, Redis } from "ioredis";

const retryStrategy = (times: number) => Math.min(times * 100, 2_000);

/**
 * A Redis client for commands, from `REDIS_URL`: `redis://host:port[/db]` for one Redis, or a
 * cluster as `redis+cluster://host1:port1,host2:port2` (any reachable nodes; the rest are found).
 * `duplicate()` gives the dedicated pub/sub connection.
 */
export function createRedis(url: string): Redis | Cluster {
  const cluster = parseClusterUrl(url);
  if (cluster) {
    return new Cluster(cluster.nodes, {
      clusterRetryStrategy: retryStrategy,
      redisOptions: { maxRetriesPerRequest: 2, password: cluster.password },
      // Fail commands fast while the cluster is away instead of queueing them without bound.
      enableOfflineQueue: true,
    });
  }
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, retryStrategy });
}

/**
 * The dedicated pub/sub connection of `client`, with ioredis's ready check off. ioredis writes a
 * SUBSCRIBE at once while a new connection is still in its handshake (Redis allows the command
 * while it loads data), which puts the connection in subscriber mode; the ready check's INFO that
 * follows is then refused ("Connection in subscriber mode"), the connection errors, and every
 * watch waiting on it fails. The soak test hit this when watches arrived during that window. A
 * subscriber needs no ready check, since SUBSCRIBE is served while Redis loads. (A cluster handles
 * pub/sub on connections of its own.)
 */
export function subscriberOf(client: Redis | Cluster): Redis | Cluster {
  return client instanceof Cluster ? client.duplicate() : client.duplicate({ enableReadyCheck: false });
}

export function parseClusterUrl(url: string): { nodes: { host: string; port: number }[]; password?: string } | null {
  const match = /^redis\+cluster:\/\/(?:(?:[^:@/]*):([^@/]*)@)?([^/]+)\/?$/.exec(url);
  if (!match) return null;
  const nodes = match[2]!.split(",").map((hostPort) => {
    const [host, port] = hostPort.split(":");
    return { host: host || "127.0.0.1", port: Number(port || 6379) };
  });
  if (nodes.some((n) => !Number.isInteger(n.port) || n.port <= 0)) throw new TypeError(`Bad cluster node list in REDIS_URL: ${url}`);
  return { nodes, ...(match[1] ? { password: decodeURIComponent(match[1]) } : {}) };
}

/**
 * ioredis emits connection errors as events and retries by itself; without a listener Node prints
 * each one. Log them instead, at most once per `everyMs`, so an outage is visible but not a flood.
 */
export function watchRedisErrors<T extends Redis | Cluster>(client: T, logger: { warn(obj: object, msg?: string): void }, everyMs = 5_000): T {
  let last = 0;
  let suppressed = 0;
  client.on("error", (error: Error) => {
    const now = Date.now();
    if (now - last < everyMs) {
      suppressed++;
      return;
    }
    logger.warn({ err: { message: error.message }, suppressed }, "redis connection error; retrying");
    last = now;
    suppressed = 0;
  });
  return client;
}
