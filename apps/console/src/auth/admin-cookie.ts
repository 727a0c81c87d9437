import type { NextRequest } from "next/server";
import { env } from "~/env";

/**
 * The admin key lives only in this cookie: http-only (page scripts cannot read it), SameSite=Strict
 * (no other site can make the browser send it), path / and Secure whenever the console is served
 * over https.
 */
export const ADMIN_COOKIE = "cohort_admin";

export interface CookieSpec {
  name: string;
  value: string;
  httpOnly: true;
  sameSite: "strict";
  secure: boolean;
  path: "/";
  maxAge: number;
}

export function adminCookie(value: string, request: NextRequest): CookieSpec {
  return {
    name: ADMIN_COOKIE,
    value,
    httpOnly: true,
    sameSite: "strict",
    secure: isSecureRequest(request),
    path: "/",
    maxAge: Math.round(env.CONSOLE_SESSION_HOURS * 3600),
  };
}

export function clearedAdminCookie(request: NextRequest): CookieSpec {
  return { ...adminCookie("", request), maxAge: 0 };
}

function isSecureRequest(request: NextRequest): boolean {
  if (env.CONSOLE_SECURE_COOKIE !== "auto") return env.CONSOLE_SECURE_COOKIE === "true";
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return (forwarded ?? request.nextUrl.protocol.replace(/:$/, "")) === "https";
}

/**
 * A state-changing request must come from a page of this console. SameSite=Strict already keeps
 * the cookie off cross-site requests; this also stops login CSRF (a foreign form signing the
 * browser in with the attacker's key), which the cookie attribute cannot.
 */
export function isSameOrigin(request: NextRequest): boolean {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite) return fetchSite === "same-origin";
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Only paths of this console may be a post-sign-in destination (no open redirect). */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/lessons";
  if (value.startsWith("/api/") || value.startsWith("/sign-in")) return "/lessons";
  return value;
}
