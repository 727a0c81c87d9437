// What the integration global setup hands every test file through vitest's inject().
declare module "vitest" {
  export interface ProvidedContext {
    redisPrefix: string;
    databaseUrl: string;
    /** The shared Redis, or in the cluster project a Redis Cluster of the run's own. */
    redisUrl: string;
  }
}

export {};
