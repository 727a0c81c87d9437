// What the integration global setup hands every test file through vitest's inject().
declare module "vitest" {
  export interface ProvidedContext {
    redisPrefix: string;
    databaseUrl: string;
  }
}

export {};
