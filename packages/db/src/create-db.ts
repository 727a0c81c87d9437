import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.js";
import { statementName } from "./prepared-statements.js";
import { pgliteAdapter } from "./pglite-adapter.js";

export type Db = PrismaClient;

export interface CreateDbOptions {
  /** PostgreSQL URL. When absent, `pgliteDir` must be given (embedded PostgreSQL for `npm start`). */
  databaseUrl?: string | undefined;
  /** Folder of an embedded PGlite database. */
  pgliteDir?: string | undefined;
  /** Pool size per process. @default 10 */
  poolSize?: number;
}

/** Creates a Prisma client on a driver adapter: PostgreSQL through `pg`, or embedded PGlite. */
export async function createDb(options: CreateDbOptions): Promise<Db> {
  if (options.databaseUrl) {
    // The adapter types the generator as returning a name; undefined leaves a query unnamed.
    const adapter = new PrismaPg(
      { connectionString: options.databaseUrl, max: options.poolSize ?? 10 },
      { statementNameGenerator: statementName as (query: { sql: string }) => string },
    );
    return new PrismaClient({ adapter });
  }
  if (!options.pgliteDir) throw new TypeError("createDb needs databaseUrl or pgliteDir");
  // The 0.6 adapter is typed against Prisma 6's adapter interface, which this client accepts.
  const adapter = await pgliteAdapter(options.pgliteDir);
  return new PrismaClient({ adapter: adapter as never });
}
