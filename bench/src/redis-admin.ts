import { Redis } from "ioredis";

/** The bench's own Redis connection: finds the server's pid (for its CPU) and removes the run's keys. */
export async function connectRedisAdmin(url: string) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  const info = await redis.info("server");
  const pid = Number(/process_id:(\d+)/.exec(info)?.[1]) || undefined;
  return {
    pid,
    /** SCAN + UNLINK every key under the prefixes; bounded in iterations. */
    async deleteByPrefixes(prefixes: readonly string[]): Promise<number> {
      let removed = 0;
      for (const prefix of prefixes) {
        let cursor = "0";
        for (let i = 0; i < 100_000; i++) {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
          if (keys.length > 0) removed += await redis.unlink(...keys);
          cursor = next;
          if (cursor === "0") break;
        }
      }
      return removed;
    },
    close: () => redis.disconnect(),
  };
}
