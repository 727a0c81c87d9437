import { z } from "zod";

/** Names of the variables a launcher sets for a tester process. */
export const TESTER_ENV = {
  testId: "COHORT_TEST_ID",
  /** Set when the process is exactly one tester. */
  testerId: "COHORT_TESTER_ID",
  /**
   * Comma-separated ids a process may claim, set by launchers that start several identical
   * processes at once (ECS RunTask with `count` > 1 gives every task the same overrides).
   */
  testerIds: "COHORT_TESTER_IDS",
  serverUrl: "COHORT_SERVER_URL",
  testToken: "COHORT_TEST_TOKEN",
  clients: "COHORT_CLIENTS",
} as const;

export interface TesterEnvironmentInput {
  testId: number;
  /** One id: this process is that tester. Several: it claims the first one the server grants. */
  testerIds: readonly string[];
  serverUrl: string;
  testToken: string;
  clients: number;
}

/** The variables for a tester process (or a batch of identical ones). */
export function testerEnvironment({ testId, testerIds, serverUrl, testToken, clients }: TesterEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {
    [TESTER_ENV.testId]: String(testId),
    [TESTER_ENV.testerIds]: testerIds.join(","),
    [TESTER_ENV.serverUrl]: serverUrl,
    [TESTER_ENV.testToken]: testToken,
    [TESTER_ENV.clients]: String(clients),
  };
  if (testerIds.length === 1) env[TESTER_ENV.testerId] = testerIds[0] as string;
  return env;
}

const zTesterEnvironment = z
  .object({
    [TESTER_ENV.testId]: z.coerce.number().int().positive(),
    [TESTER_ENV.testerId]: z.string().min(1).optional(),
    [TESTER_ENV.testerIds]: z.string().min(1).optional(),
    [TESTER_ENV.serverUrl]: z.url(),
    [TESTER_ENV.testToken]: z.string().min(1),
    [TESTER_ENV.clients]: z.coerce.number().int().min(0),
  })
  .refine((env) => env[TESTER_ENV.testerId] ?? env[TESTER_ENV.testerIds], {
    message: `${TESTER_ENV.testerId} or ${TESTER_ENV.testerIds} is required`,
  });

export interface TesterConfig {
  testId: number;
  /** Candidates in order; exactly one when the launcher named this process's tester. */
  testerIds: string[];
  serverUrl: string;
  testToken: string;
  clients: number;
}

/**
 * Reads a tester's configuration from an environment the caller passes (tester-main.ts passes
 * `process.env`). Throws a TypeError listing every missing or bad variable.
 */
export function parseTesterEnvironment(env: Readonly<Record<string, string | undefined>>): TesterConfig {
  const parsed = zTesterEnvironment.safeParse(env);
  if (!parsed.success) throw new TypeError(`invalid tester environment:\n${z.prettifyError(parsed.error)}`);
  const data = parsed.data;
  const single = data[TESTER_ENV.testerId];
  return {
    testId: data[TESTER_ENV.testId],
    testerIds: single ? [single] : (data[TESTER_ENV.testerIds] as string).split(",").filter(Boolean),
    serverUrl: data[TESTER_ENV.serverUrl],
    testToken: data[TESTER_ENV.testToken],
    clients: data[TESTER_ENV.clients],
  };
}
