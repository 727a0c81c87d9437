import { getTRPCErrorFromUnknown, type TRPCError, type TRPCProcedureType } from "@trpc/server";
import { AppError, isAppError } from "./errors.js";
import type { Context } from "./context.js";
import type { ParticipantQuota } from "./domain/participant-quota.js";

/** What a middleware's `next()` resolves to (tRPC's MiddlewareResult, structurally). */
type CallResult = { ok: true; data: unknown } | { ok: false; error: TRPCError };

interface Call {
  ctx: Context;
  path: string;
  type: TRPCProcedureType;
}

/**
 * What every call goes through, in this order: timing and metrics around everything (refusals
 * included), the mutation rate limits (this instance's, then the participant's over every
 * instance), the per-connection subscription cap, then `proceed` (the caller check of the
 * procedure kind, then the procedure).
 *
 * One function rather than a middleware each because tRPC copies the call's options twice per
 * middleware level: the chain of five levels this replaces cost 18 % of the server's CPU in the
 * join-storm profile (docs/performance.md).
 */
export async function guardCall<R extends CallResult>(call: Call, proceed: () => Promise<R>): Promise<R> {
  const started = performance.now();
  let result: R;
  try {
    limitRate(call);
    const quota = participantQuotaOf(call);
    if (quota) await takeQuota(quota);
    result = call.type === "subscription" ? await capSubscription(call.ctx, proceed) : await proceed();
  } catch (error) {
    // Thrown refusals (limits, caller checks) never reach next(); report them as tRPC will answer.
    observe(call, started, { ok: false, error: getTRPCErrorFromUnknown(error) });
    throw error;
  }
  observe(call, started, result);
  return result;
}

/**
 * A user's mutation and the participant budget over every instance it draws on (cursor moves have
 * their own), or undefined when none applies. Only this needs a round trip now and then, so only
 * calls it applies to wait for it.
 */
function participantQuotaOf({ ctx, type, path }: Call) {
  if (type !== "mutation" || ctx.principal.kind !== "user") return undefined;
  const quota = path === "cursor.move" ? ctx.deps.participantCursorQuota : ctx.deps.participantQuota;
  return quota && { quota, userId: ctx.principal.userId };
}

async function takeQuota({ quota, userId }: { quota: ParticipantQuota; userId: number }): Promise<void> {
  if (!(await quota.take(userId))) {
    throw new AppError("RATE_LIMITED", "Too many requests (participant limit, over all your connections); slow down and retry");
  }
}

/** Reports the call; unexpected errors (not AppErrors) are logged as internal failures. */
function observe({ ctx, path, type }: Call, started: number, result: CallResult): void {
  const durationMs = performance.now() - started;
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR" && !isAppError(result.error)) {
    ctx.deps.logger.error({ err: result.error.cause ?? result.error, path }, "procedure failed");
  }
  ctx.deps.observe?.({ path, type, ok: result.ok, code: result.ok ? undefined : result.error.code, durationMs });
}

/**
 * This instance's mutation limits per connection and per participant (cursor moves in their own
 * bucket), checked before the procedure runs, without a round trip. Admins are not limited; queries and subscriptions are cheap to refuse
 * elsewhere (subscriptions are capped per connection below).
 */
function limitRate({ ctx, type, path }: Call): void {
  const limiter = ctx.deps.rateLimiter;
  if (type !== "mutation" || !limiter || ctx.principal.kind === "admin") return;
  const refused = limiter.take({
    connectionId: ctx.connectionId,
    userId: ctx.principal.kind === "user" ? ctx.principal.userId : null,
    cursor: path === "cursor.move",
  });
  if (refused) throw new AppError("RATE_LIMITED", `Too many requests (${refused} limit); slow down and retry`);
}

/** At most N live subscriptions per connection; the count drops when a subscription ends. */
async function capSubscription<R extends CallResult>(ctx: Context, proceed: () => Promise<R>): Promise<R> {
  const cap = ctx.deps.subscriptionCap;
  if (!cap) return proceed();
  if (!cap.acquire(ctx.connectionId)) throw new AppError("RATE_LIMITED", "Too many subscriptions on this connection");
  let result: R;
  try {
    result = await proceed();
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
}
