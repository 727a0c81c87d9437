import type { Db } from "@cohort/db";
import { AuthError } from "../../auth/auth-error.js";
import type { Principal } from "../../context.js";
import { tokenMatches } from "./token.js";

/** Credentials a tester presents in connectionParams (values may arrive as strings). */
export interface TesterCredentials {
  testToken: unknown;
  testId: unknown;
  /** A tester account of that test to act as (a virtual client); absent for the tester process itself. */
  asUserId?: unknown;
}

/**
 * Checks a per-test token. Without `asUserId` the caller is the test's tester process; with it,
 * one of the test's tester accounts, acting through the ordinary procedures like any user (no JWT
 * is involved, so this works whichever way users authenticate). Only tests that are launching or
 * running accept their token.
 */
export async function authenticateTester(db: Db, credentials: TesterCredentials): Promise<Principal> {
  const testId = positiveInt(credentials.testId);
  if (testId === undefined) throw new AuthError("BAD_TEST_TOKEN", "testId must be a positive integer");
  const test = await db.loadTest.findUnique({ where: { id: testId }, select: { tokenHash: true, state: true } });
  // One answer for an unknown test and a wrong token, so a guess learns nothing about which tests exist.
  if (!test || !tokenMatches(credentials.testToken, test.tokenHash)) throw new AuthError("BAD_TEST_TOKEN", "The test token is wrong");
  if (test.state !== "LAUNCHING" && test.state !== "RUNNING") throw new AuthError("BAD_TEST_TOKEN", `Test ${testId} is not running`);
  if (credentials.asUserId === undefined || credentials.asUserId === null) return { kind: "tester", testId };
  const userId = positiveInt(credentials.asUserId);
  const account =
    userId === undefined
      ? null
      : await db.loadTestAccount.findFirst({ where: { loadTestId: testId, participant: { userId } }, select: { slot: true } });
  if (!account || userId === undefined) throw new AuthError("BAD_TEST_TOKEN", "asUserId is not a tester account of this test");
  return { kind: "user", userId };
}

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === "string" && /^\d{1,10}$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647 ? n : undefined;
}
