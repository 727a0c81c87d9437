import { NextResponse, type NextRequest } from "next/server";
import { ADMIN_COOKIE } from "~/auth/admin-cookie";
import { env } from "~/env";

const PUBLIC_PATHS = new Set(["/sign-in", "/api/sign-in"]);
const wsOrigin = new URL(env.COHORT_WS_URL).origin;
// React's development build needs eval to rebuild server error stacks; production never does.
const isDev = env.NODE_ENV === "development";

/**
 * Runs before every page and route handler:
 * 1. No cookie, no console. Only the cookie's presence is checked here (cheap, no network);
 *    whether the key is still valid is decided by the Cohort server on every call, and a refused
 *    key sends the admin back to the sign-in page.
 * 2. Pages get a strict, per-request nonce Content-Security-Policy. The page's scripts can fetch
 *    the admin key (for their WebSocket), so injected script must not run: only scripts carrying
 *    the nonce (Next's own) and what they load; connections only to this origin and the Cohort
 *    WebSocket.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  if (!PUBLIC_PATHS.has(pathname) && !request.cookies.get(ADMIN_COOKIE)?.value) {
    if (isApi) return NextResponse.json({ error: "not signed in" }, { status: 401 });
    const location = pathname === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(`${pathname}${search}`)}`;
    return NextResponse.redirect(new URL(location, browserOrigin(request)));
  }
  if (isApi) return NextResponse.next();

  const nonce = btoa(crypto.randomUUID());
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    // Highcharts and React set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ${wsOrigin}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

/**
 * The origin the browser used. `request.url` is rebuilt by Next from its own hostname (it says
 * localhost when the browser said 127.0.0.1), and a redirect there would lose the cookie.
 */
function browserOrigin(request: NextRequest): string {
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? request.nextUrl.host;
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? request.nextUrl.protocol.replace(/:$/, "");
  return `${proto}://${host}`;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
