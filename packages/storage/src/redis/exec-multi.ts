import type { ChainableCommander } from "ioredis";

/** Runs a MULTI/EXEC transaction and returns its replies, throwing the first failed one. */
export async function execMulti(multi: ChainableCommander): Promise<unknown[]> {
  const results = await multi.exec();
  if (results === null) throw new Error("Redis transaction was aborted");
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
