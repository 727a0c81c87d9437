import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TRPCError } from "@trpc/server";
import type { Context, Deps, Principal } from "./context.js";
import { RateLimiter } from "./domain/rate-limiter.js";
import { SubscriptionCap } from "./domain/subscription-cap.js";
import { adminProcedure, createCallerFactory, publicProcedure, router, testerProcedure, userProcedure } from "./trpc.js";
import type { CallObserver } from "./ports.js";

// Procedures built from each exported builder, so the folded checks are exercised as routers use them.
const testRouter = router({
  whoAmI: userProcedure.input(z.object({ echo: z.string() })).query(({ ctx, input }) => ({ userId: ctx.userId, echo: input.echo })),
  touch: userProcedure.mutation(() => "touched"),
  fail: publicProcedure.query(() => {
    throw new Error("database exploded");
  }),
  adminOnly: adminProcedure.query(() => "admin"),
  testerOnly: testerProcedure.query(({ ctx }) => ctx.testId),
  ticks: publicProcedure.subscription(async function* () {
    yield 1;
    yield 2;
  }),
  myTicks: userProcedure.subscription(async function* () {
    yield 1;
  }),
});

function setup({ principal = { kind: "user", userId: 7 } as Principal, burst = 100, maxSubscriptions = 10 } = {}) {
  const observed: Parameters<CallObserver>[0][] = [];
  const logged: unknown[] = [];
  const cap = new SubscriptionCap(maxSubscriptions);
  const deps = {
    rateLimiter: new RateLimiter({
      perConnection: { ratePerSec: 0.001, burst },
      perUser: { ratePerSec: 0.001, burst },
      cursorPerConnection: { ratePerSec: 0.001, burst },
    }),
    subscriptionCap: cap,
    logger: { info() {}, warn() {}, error: (obj: object) => logged.push(obj) },
    observe: (call) => observed.push(call),
  } satisfies Partial<Deps>;
  const ctx: Context = { deps: deps as unknown as Deps, principal, connectionId: "conn-1" };
  return { caller: createCallerFactory(testRouter)(ctx), observed, logged, cap };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof TRPCError ? `${error.code}:${(error as { appCode?: string }).appCode ?? ""}` : String(error)),
  );

describe("the checks every call goes through", () => {
  it("narrows ctx to the user, parses input, and reports the call", async () => {
    const { caller, observed } = setup();
    expect(await caller.whoAmI({ echo: "hi" })).toEqual({ userId: 7, echo: "hi" });
    expect(observed).toEqual([expect.objectContaining({ path: "whoAmI", type: "query", ok: true, code: undefined })]);
    expect(observed[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("refuses the wrong kind of caller, and reports the refusal", async () => {
    const asAdmin = setup({ principal: { kind: "admin" } });
    expect(await codeOf(asAdmin.caller.whoAmI({ echo: "x" }))).toBe("FORBIDDEN:NOT_A_USER");
    expect(await asAdmin.caller.adminOnly()).toBe("admin");
    expect(asAdmin.observed.map((c) => [c.path, c.ok, c.code])).toEqual([
      ["whoAmI", false, "FORBIDDEN"],
      ["adminOnly", true, undefined],
    ]);
    const asUser = setup();
    expect(await codeOf(asUser.caller.adminOnly())).toBe("FORBIDDEN:NOT_ADMIN");
    expect(await codeOf(asUser.caller.testerOnly())).toBe("FORBIDDEN:NOT_A_TESTER");
    expect(await setup({ principal: { kind: "tester", testId: 42 } }).caller.testerOnly()).toBe(42);
  });

  it("reports bad input as BAD_REQUEST", async () => {
    const { caller, observed } = setup();
    expect(await codeOf(caller.whoAmI({ echo: 1 } as never))).toBe("BAD_REQUEST:");
    expect(observed.map((c) => c.code)).toEqual(["BAD_REQUEST"]);
  });

  it("rate-limits mutations (not queries, not admins), and reports the refusals", async () => {
    const { caller, observed } = setup({ burst: 2 });
    expect(await caller.touch()).toBe("touched");
    expect(await caller.touch()).toBe("touched");
    expect(await codeOf(caller.touch())).toBe("TOO_MANY_REQUESTS:RATE_LIMITED");
    expect(await caller.whoAmI({ echo: "queries are not limited" })).toMatchObject({ userId: 7 });
    expect(observed.map((c) => c.code ?? "OK")).toEqual(["OK", "OK", "TOO_MANY_REQUESTS", "OK"]);
  });

  it("caps live subscriptions per connection and frees a slot when one ends", async () => {
    const { caller, cap } = setup({ maxSubscriptions: 1 });
    const first = await caller.ticks();
    expect(cap.connections).toBe(1);
    expect(await codeOf(caller.ticks())).toBe("TOO_MANY_REQUESTS:RATE_LIMITED");
    const seen: unknown[] = [];
    for await (const tick of first as AsyncIterable<unknown>) seen.push(tick);
    expect(seen).toEqual([1, 2]);
    expect(cap.connections).toBe(0);
    await expect(caller.ticks()).resolves.toBeDefined();
  });

  it("frees the subscription slot when the caller check refuses", async () => {
    const { caller, cap } = setup({ principal: { kind: "admin" }, maxSubscriptions: 1 });
    expect(await codeOf(caller.myTicks())).toBe("FORBIDDEN:NOT_A_USER");
    expect(cap.connections).toBe(0);
    await expect(caller.ticks()).resolves.toBeDefined();
  });

  it("logs unexpected errors as internal failures, and answers without their message", async () => {
    const { caller, observed, logged } = setup();
    const error = await caller.fail().catch((e: unknown) => e as TRPCError);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("INTERNAL_SERVER_ERROR");
    expect(logged).toEqual([expect.objectContaining({ path: "fail" })]);
    expect(observed.map((c) => c.code)).toEqual(["INTERNAL_SERVER_ERROR"]);
  });
});
