import { initTRPC } from "@trpc/server";
import { ZodError } from "zod";
import { AppError, isAppError, type AppCode } from "./errors.js";
import type { Context } from "./context.js";

const t = initTRPC.context<Context>().create({
  // Never send stack traces, SQL or driver messages to clients.
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    let appCode: AppCode | string = isAppError(error) ? error.appCode : "INTERNAL";
    let message = shape.message;
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
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, appCode, issues },
    };
  },
});

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

/** Times every call and reports it; turns unexpected errors into logged internal errors. */
const observed = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const durationMs = performance.now() - started;
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR" && !isAppError(result.error)) {
    ctx.deps.logger.error({ err: result.error.cause ?? result.error, path }, "procedure failed");
  }
  ctx.deps.observe?.({ path, type, ok: result.ok, code: result.ok ? undefined : result.error.code, durationMs });
  return result;
});

/**
 * Mutation limits per connection and per participant (cursor moves in their own bucket), checked
 * before the procedure runs. Admins are not limited; queries and subscriptions are cheap to refuse
 * elsewhere (subscriptions are capped per connection by the server).
 */
const rateLimited = t.middleware(function rateLimited({ ctx, type, path, next }) {
  const limiter = ctx.deps.rateLimiter;
  if (type !== "mutation" || !limiter || ctx.principal.kind === "admin") return next();
  const refused = limiter.take({
    connectionId: ctx.connectionId,
    userId: ctx.principal.kind === "user" ? ctx.principal.userId : null,
    cursor: path === "cursor.move",
  });
  if (refused) throw new AppError("RATE_LIMITED", `Too many requests (${refused} limit); slow down and retry`);
  return next();
});

/** At most N live subscriptions per connection; the count drops when a subscription ends. */
const subscriptionCapped = t.middleware(async function subscriptionCapped({ ctx, type, next }) {
  const cap = ctx.deps.subscriptionCap;
  if (type !== "subscription" || !cap) return next();
  if (!cap.acquire(ctx.connectionId)) throw new AppError("RATE_LIMITED", "Too many subscriptions on this connection");
  let result: Awaited<ReturnType<typeof next>>;
  try {
    result = await next();
  } catch (error) {
    cap.release(ctx.connectionId);
    throw error;
  }
  if (!result.ok) {
    cap.release(ctx.connectionId);
    return result;
  }
  const source = result.data as AsyncIterable<unknown>;
  async function* counted() {
    try {
      yield* source;
    } finally {
      cap!.release(ctx.connectionId);
    }
  }
  return { ...result, data: counted() };
});

export const publicProcedure = t.procedure.use(observed).use(rateLimited).use(subscriptionCapped);

/** A signed-in user (not the admin key). Narrows `ctx.principal` to a user. */
export const userProcedure = publicProcedure.use(function isUser({ ctx, next }) {
  if (ctx.principal.kind !== "user") throw new AppError("NOT_A_USER", "This procedure needs a user token, not the admin key");
  return next({ ctx: { ...ctx, userId: ctx.principal.userId } });
});

export const adminProcedure = publicProcedure.use(function isAdmin({ ctx, next }) {
  if (ctx.principal.kind !== "admin") throw new AppError("NOT_ADMIN", "This procedure is for admins");
  return next();
});

/** A load-test tester process (per-test token). Narrows `ctx` with the test it may act for. */
export const testerProcedure = publicProcedure.use(function isTester({ ctx, next }) {
  if (ctx.principal.kind !== "tester") throw new AppError("NOT_A_TESTER", "This procedure is for load-test testers");
  return next({ ctx: { ...ctx, testId: ctx.principal.testId } });
});
