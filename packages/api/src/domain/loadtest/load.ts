import type { Db } from "@cohort/db";
import { AppError } from "../../errors.js";
import type { LoadTestRow } from "./view.js";

/** A test with its testers, or TEST_NOT_FOUND. */
export async function loadTest(db: Db, testId: number): Promise<LoadTestRow> {
  const row = await db.loadTest.findUnique({ where: { id: testId }, include: { testers: { orderBy: { index: "asc" } } } });
  if (!row) throw new AppError("TEST_NOT_FOUND", `Load test ${testId} does not exist`);
  return row;
}
