import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { TRPCError } from "@trpc/server";
import type { WebSocket } from "ws";
import { authenticateTester, AuthError, CloseCode, type Authenticator, type Context, type Deps } from "@cohort/api";
import { httpCredentials } from "./http-credentials.js";
import type { Metrics } from "./metrics.js";
import type { SubscriptionChannels } from "./subscription-channels.js";

interface ContextFactoryOptions {
  deps: Deps;
  authenticator: Authenticator;
  metrics: Metrics;
}

/** Authenticates a WebSocket from its connectionParams; refuses with a named close code. */
export function createWsContextFactory({ deps, authenticator, metrics, channelsOf }: ContextFactoryOptions & { channelsOf: WeakMap<WebSocket, SubscriptionChannels> }) {
  return async ({ res, info }: { req: IncomingMessage; res: WebSocket; info: { connectionParams: Record<string, string> | null } }): Promise<Context> => {
    const params = info.connectionParams ?? {};
    try {
      // A load test's tester (or one of its virtual clients) presents the test's token instead.
      const principal =
        params.testToken !== undefined
          ? await authenticateTester(deps.db, { testToken: params.testToken, testId: params.testId, asUserId: params.asUserId })
          : await authenticator.authenticate({ token: params.token, adminKey: params.adminKey });
      authenticated.add(res);
      const channels = channelsOf.get(res);
      return { deps, principal, connectionId: randomUUID(), subscriptionChannel: channels && ((rawInput: unknown) => channels.channelFor(rawInput)) };
    } catch (error) {
      const refusal = toRefusal(error);
      metrics.refused.inc({ reason: refusal.reason });
      // Close before tRPC does (it would close without a code), so clients can tell why.
      res.close(refusal.closeCode, `${refusal.reason}: ${refusal.message}`.slice(0, 120));
      throw new TRPCError({ code: "UNAUTHORIZED", message: refusal.message });
    }
  };
}

/** Sockets that passed authentication; the auth timeout closes the others. */
export const authenticated = new WeakSet<WebSocket>();

/** Authenticates an HTTP request from `Authorization: Bearer` or `X-Admin-Key`. */
export function createHttpContextFactory({ deps, authenticator, metrics }: ContextFactoryOptions) {
  return async ({ req }: { req: IncomingMessage }): Promise<Context> => {
    try {
      const principal = await authenticator.authenticate(httpCredentials(req));
      return { deps, principal, connectionId: randomUUID() };
    } catch (error) {
      const refusal = toRefusal(error);
      metrics.refused.inc({ reason: refusal.reason });
      throw new TRPCError({ code: "UNAUTHORIZED", message: `${refusal.reason}: ${refusal.message}` });
    }
  };
}

function toRefusal(error: unknown): { reason: string; message: string; closeCode: number } {
  if (error instanceof AuthError) {
    // An auth server that did not answer says nothing about the token: the client may retry it.
    const closeCode = error.reason === "INTROSPECTION_FAILED" ? CloseCode.TryAgainLater : CloseCode.Unauthorized;
    return { reason: error.reason, message: error.message, closeCode };
  }
  // Database down while resolving the user: not the token's fault, so tell the client to retry.
  return { reason: "AUTH_UNAVAILABLE", message: "Authentication is unavailable, try again", closeCode: CloseCode.TryAgainLater };
}
