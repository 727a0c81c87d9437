import { createTRPCClient, httpLink, TRPCClientError, type TRPCClient } from "@trpc/client";
import type { AppRouter } from "@cohort/api";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { ADMIN_COOKIE } from "~/auth/admin-cookie";
import { env } from "~/env";

export type ServerApi = TRPCClient<AppRouter>;

/**
 * A tRPC client for server components and route handlers: HTTP to the Cohort server with the
 * admin key as X-Admin-Key. Queries and mutations only (subscriptions run in the browser).
 */
export function createServerApi(adminKey: string): ServerApi {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${env.COHORT_SERVER_URL}/trpc`, headers: { "x-admin-key": adminKey } })],
  });
}

/** The signed-in admin's key, or a redirect to the sign-in page. */
export async function requireAdminKey(returnTo?: string): Promise<string> {
  const key = (await cookies()).get(ADMIN_COOKIE)?.value;
  if (!key) redirect(returnTo ? `/sign-in?next=${encodeURIComponent(returnTo)}` : "/sign-in");
  return key;
}

export type ServerResult<T> = { ok: true; data: T } | { ok: false; error: ServerCallError };

export interface ServerCallError {
  code: string;
  appCode?: string | undefined;
  message: string;
}

/**
 * Runs a call with the signed-in admin's client. A refused key (rotated, or the server restarted
 * with another one) sends the admin back to sign in; other failures come back as a value so the
 * page can say what went wrong instead of crashing.
 */
export async function callServer<T>(call: (api: ServerApi) => Promise<T>, returnTo?: string): Promise<ServerResult<T>> {
  const api = createServerApi(await requireAdminKey(returnTo));
  try {
    return { ok: true, data: await call(api) };
  } catch (error) {
    const described = describeError(error);
    if (described.code === "UNAUTHORIZED") redirect("/sign-in?error=expired");
    return { ok: false, error: described };
  }
}

export function describeError(error: unknown): ServerCallError {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; appCode?: string } | undefined;
    return { code: data?.code ?? "UNREACHABLE", appCode: data?.appCode, message: error.message };
  }
  return { code: "UNREACHABLE", message: error instanceof Error ? error.message : String(error) };
}
