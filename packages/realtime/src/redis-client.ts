import type { Cluster, Redis } from "ioredis";

/** A command connection: a standalone client or a cluster client. */
export type RedisClient = Redis | Cluster;
