import { initTRPC, type TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { AppError, isAppError, type AppCode } from "./errors.js";
import type { Context } from "./context.js";
import { guardCall } from "./guard-call.js";
import { unavailableDependency, unavailableError } from "./domain/unavailable-dependency.js";

const t = initTRPC.context<Context>().create({
  // Never send stack traces, SQL or driver messages to clients.
  isDev: false,
  errorFormatter({ shape, error: thrown }) {
    const error = explained(thrown) ?? thrown;
    const cause = error.cause;
    let appCode: AppCode | string = isAppError(error) ? error.appCode : "INTERNAL";
    let message = isAppError(error) ? error.message : shape.message;
    let issues: { path: string; message: string }[] | undefined;
    if (cause instanceof ZodError) {
      // A custom rule may name a more precise reason (e.g. INVALID_PATH).
      const named = cause.issues.find((issue) => issue.code === "custom" && typeof issue.params?.appCode === "string");
      appCode = (named?.code === "custom" ? (named.params?.appCode as string) : undefined) ?? "INVALID_INPUT";
      issues = cause.issues.slice(0, 20).map((issue) => ({ path: issue.path.join("."), message: issue.message }));
      message = `Invalid input: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`;
    } else if (!isAppError(error)) {
      appCode = defaultAppCode(error.code);
      if (error.code === "INTERNAL_SERVER_ERROR") message = "Internal server error";
    }
    return {
      code: shape.code,
      message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode,
        issues,
        reason: isAppError(error) ? error.reason : undefined,
      },
    };
  },
});

/**
 * An unexpected failure caused by a dependency out of reach, as the `UNAVAILABLE` refusal naming it
 * (the client may retry). Its class stays INTERNAL_SERVER_ERROR, the one tRPC already answered with.
 * Here rather than in a middleware so that subscriptions failing mid-stream get it too.
 */
function explained(error: TRPCError): AppError | null {
  if (isAppError(error) || error.code !== "INTERNAL_SERVER_ERROR") return null;
  const dependency = unavailableDependency(error.cause);
  return dependency ? unavailableError(dependency, error.cause) : null;
}

function defaultAppCode(code: string): string {
  switch (code) {
    case "BAD_REQUEST":
    case "PARSE_ERROR":
      return "INVALID_INPUT";
    case "UNAUTHORIZED":
      return "UNAUTHENTICATED";
    case "PAYLOAD_TOO_LARGE":
      return "LIMIT_REACHED";
    case "TOO_MANY_REQUESTS":
      return "RATE_LIMITED";
    default:
      return code === "INTERNAL_SERVER_ERROR" ? "INTERNAL" : code;
  }
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Any caller: only the checks every call goes through (guard-call.ts). */
export const publicProcedure = t.procedure.use(function publicCall(opts) {
  return guardCall(opts, () => opts.next());
});

/** A signed-in user (not the admin key). Narrows `ctx` with the user's id. */
export const userProcedure = t.procedure.use(function userCall(opts) {
  return guardCall(opts, () => {
    const { principal } = opts.ctx;
    if (principal.kind !== "user") throw new AppError("NOT_A_USER", "This procedure needs a user token, not the admin key");
    // tRPC merges this into ctx.
    return opts.next({ ctx: { userId: principal.userId } });
  });
});

export const adminProcedure = t.procedure.use(function adminCall(opts) {
  return guardCall(opts, () => {
    if (opts.ctx.principal.kind !== "admin") throw new AppError("NOT_ADMIN", "This procedure is for admins");
    return opts.next();
  });
});

/** A load-test tester process (per-test token). Narrows `ctx` with the test it may act for. */
export const testerProcedure = t.procedure.use(function testerCall(opts) {
  return guardCall(opts, () => {
    const { principal } = opts.ctx;
    if (principal.kind !== "tester") throw new AppError("NOT_A_TESTER", "This procedure is for load-test testers");
    return opts.next({ ctx: { testId: principal.testId } });
  });
});
