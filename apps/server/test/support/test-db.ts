import { createDb, type Db } from "@cohort/db";
import { testEnv } from "@cohort/test-support";

let db: Db | undefined;

/** One Prisma client per test file for seeding and checking rows. */
export async function testDb(): Promise<Db> {
  db ??= await createDb({ databaseUrl: testEnv().databaseUrl, poolSize: 3 });
  return db;
}
