import type http from "node:http";
import { TRPCError, type AnyRouter } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
// getErrorShape runs the router's own error formatter, so this refusal has the shape (and appCode)
// of every other error; tRPC exports it only from its core module.
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";

/**
 * Subscriptions are served over WebSocket only (API.md, Transport). tRPC's HTTP handler would
 * answer one with a 200 server-sent event stream, and even a refusal (no credentials, or SSE
 * switched off) only as that stream's first event. So a request at `procedurePath` (the URL path
 * after `/trpc/`, a comma-separated list for a batch) that names a subscription is answered here
 * with a plain 405 and tRPC never sees it: no context, no procedure, no stream. Returns whether it
 * answered.
 */
export function refuseHttpSubscription(router: AnyRouter, procedurePath: string, res: http.ServerResponse): boolean {
  let names: string[];
  try {
    names = decodeURIComponent(procedurePath).split(",");
  } catch {
    return false; // tRPC refuses the bad encoding itself
  }
  const procedures = router._def.procedures as Record<string, { _def: { type: string } } | undefined>;
  const path = names.find((name) => procedures[name]?._def.type === "subscription");
  if (path === undefined) return false;
  const error = new TRPCError({
    code: "METHOD_NOT_SUPPORTED",
    message: `${path} is a subscription: subscriptions are served over WebSocket only (ws://<host>/trpc), not over HTTP`,
  });
  const shape = getErrorShape({ config: router._def._config, error, type: "subscription", path, input: undefined, ctx: undefined });
  // 405 must list the allowed methods; an empty list says none is (RFC 9110 10.2.1).
  res.writeHead(getHTTPStatusCodeFromError(error), { "content-type": "application/json", allow: "" });
  res.end(JSON.stringify({ error: shape }));
  return true;
}
