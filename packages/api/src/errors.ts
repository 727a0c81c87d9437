import { TRPCError } from "@trpc/server";

/** tRPC codes Cohort uses (API.md, Errors). */
export type ErrorClass =
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "BAD_REQUEST"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "PRECONDITION_FAILED"
  | "INTERNAL_SERVER_ERROR";

/** Stable reasons clients switch on, each with the class it travels in. */
export const appCodes = {
  INVALID_INPUT: "BAD_REQUEST",
  INVALID_PATH: "BAD_REQUEST",
  NOT_A_DIRECTORY: "BAD_REQUEST",
  IS_A_DIRECTORY: "BAD_REQUEST",
  INVALID_UPDATE: "BAD_REQUEST",
  INVALID_RANGE: "BAD_REQUEST",
  INVALID_REF: "BAD_REQUEST",
  TEMPLATE_INVALID: "PRECONDITION_FAILED",
  TEMPLATE_NOT_FOUND: "PRECONDITION_FAILED",
  UNAUTHENTICATED: "UNAUTHORIZED",
  BAD_TEST_TOKEN: "UNAUTHORIZED",
  REPORT_INVALID: "BAD_REQUEST",
  REPORT_REFUSED: "CONFLICT",
  NOT_A_MEMBER: "FORBIDDEN",
  NOT_ADMIN: "FORBIDDEN",
  NOT_A_USER: "FORBIDDEN",
  NO_READ_PERMISSION: "FORBIDDEN",
  NO_WRITE_PERMISSION: "FORBIDDEN",
  NOT_AUTHOR: "FORBIDDEN",
  NOT_IN_ACL: "FORBIDDEN",
  PERMISSION_REVOKED: "FORBIDDEN",
  LESSON_NOT_FOUND: "NOT_FOUND",
  PARTICIPANT_NOT_FOUND: "NOT_FOUND",
  PROJECT_NOT_FOUND: "NOT_FOUND",
  FILE_NOT_FOUND: "NOT_FOUND",
  THREAD_NOT_FOUND: "NOT_FOUND",
  COMMENT_NOT_FOUND: "NOT_FOUND",
  TEST_NOT_FOUND: "NOT_FOUND",
  FILE_EXISTS: "CONFLICT",
  TEST_ALREADY_RUNNING: "CONFLICT",
  TESTER_TAKEN: "CONFLICT",
  TESTER_NOT_FOUND: "NOT_FOUND",
  NOT_A_TESTER: "FORBIDDEN",
  WRONG_TEST_STATE: "PRECONDITION_FAILED",
  LAUNCHER_UNAVAILABLE: "PRECONDITION_FAILED",
  LAUNCH_FAILED: "PRECONDITION_FAILED",
  PROJECT_QUOTA_EXCEEDED: "PAYLOAD_TOO_LARGE",
  FILE_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_FILES: "PAYLOAD_TOO_LARGE",
  LIMIT_REACHED: "PAYLOAD_TOO_LARGE",
  TOO_MANY_THREADS: "PAYLOAD_TOO_LARGE",
  TOO_MANY_COMMENTS: "PAYLOAD_TOO_LARGE",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  SLOW_CONSUMER: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "INTERNAL_SERVER_ERROR",
  INTERNAL: "INTERNAL_SERVER_ERROR",
} as const satisfies Record<string, ErrorClass>;

export type AppCode = keyof typeof appCodes;

/**
 * The one error domain code throws. Only the tRPC error formatter turns it into a wire shape, so the
 * class (tRPC code) of a reason is decided in exactly one place: `appCodes`.
 */
export class AppError extends TRPCError {
  readonly appCode: AppCode;
  /** A finer reason within the appCode, sent as `error.data.reason` (e.g. TEMPLATE_INVALID's ZIP_SLIP). */
  readonly reason: string | undefined;

  constructor(appCode: AppCode, message: string, options: { cause?: unknown; reason?: string | undefined } = {}) {
    super({ code: appCodes[appCode], message, cause: options.cause });
    this.appCode = appCode;
    this.reason = options.reason;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
