import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "@cohort/test-support";
import { createDb, type Db } from "./create-db.js";
import { PREPARED } from "./prepared-statements.js";

// One pooled connection, so the statements listed are the ones the queries left on it.
let db: Db;
beforeAll(async () => {
  db = await createDb({ databaseUrl: testEnv().databaseUrl, poolSize: 1 });
});
afterAll(() => db.$disconnect());

const preparedOnConnection = async () =>
  (await db.$queryRaw<{ name: string; statement: string }[]>`SELECT name, statement FROM pg_prepared_statements`).filter((s) => s.name.startsWith("cohort_"));

describe("prepared statements through the driver adapter", () => {
  it("keeps a marked raw query prepared on the connection and answers it the same every time", async () => {
    for (let i = 0; i < 8; i++) {
      const rows = await db.$queryRaw<{ n: number }[]>`${PREPARED}SELECT ${i}::int + 1 AS n, 'prepared-test' AS tag`;
      expect(rows).toEqual([{ n: i + 1, tag: "prepared-test" }]);
    }
    const statements = (await preparedOnConnection()).filter((s) => s.statement.includes("prepared-test"));
    expect(statements).toHaveLength(1);
  });

  it("leaves unmarked queries and model calls unprepared", async () => {
    await db.$queryRaw`SELECT 'unmarked-test' AS tag`;
    await db.user.count();
    const statements = await preparedOnConnection();
    expect(statements.some((s) => s.statement.includes("unmarked-test") || s.statement.includes('"User"'))).toBe(false);
  });
});
