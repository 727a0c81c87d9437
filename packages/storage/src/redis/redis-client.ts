import type { Cluster, Redis } from "ioredis";

/** A single Redis or a Redis Cluster; every multi-key call here stays inside one hash slot. */
export type RedisClient = Redis | Cluster;
