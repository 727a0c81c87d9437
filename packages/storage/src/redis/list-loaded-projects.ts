import { Cluster, type Redis } from "ioredis";
import { parseProjectMetaKey, projectMetaPattern } from "../keys.js";
import type { ProjectRef } from "../tree-entry.js";
import type { RedisClient } from "./redis-client.js";

/**
 * Every project currently in Redis under `prefix`, found by SCAN (on each master of a cluster).
 * Used by the backup worker when no other list of candidates is given; SCAN does not block Redis.
 */
export async function listLoadedProjects(redis: RedisClient, prefix: string): Promise<ProjectRef[]> {
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes("master") : [redis];
  const refs = new Map<string, ProjectRef>();
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", projectMetaPattern(prefix), "COUNT", 1000);
      cursor = next;
      for (const key of keys) {
        const ref = parseProjectMetaKey(key.slice(prefix.length));
        if (ref) refs.set(`${ref.lessonId}:${ref.ownerId}`, ref);
      }
    } while (cursor !== "0");
  }
  return [...refs.values()];
}
