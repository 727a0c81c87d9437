import { NextResponse, type NextRequest } from "next/server";
import { ADMIN_COOKIE } from "~/auth/admin-cookie";
import { env } from "~/env";
import { CREDENTIALS_HEADER } from "~/lib/ws-credentials";

/**
 * Hands the admin key to a signed-in console page for its WebSocket `connectionParams`.
 *
 * Browsers cannot put custom headers or cookies of this origin on a WebSocket to the Cohort server,
 * and Next route handlers cannot proxy a WebSocket upgrade, so the page needs the key itself. It
 * gets it only from this same-origin route: the cookie is SameSite=Strict, fetch metadata must
 * say same-origin, a custom header forces a preflight on any cross-origin attempt, and the
 * answer is never cached. The page keeps the key in memory for the handshake only.
 */
export function GET(request: NextRequest) {
  const adminKey = request.cookies.get(ADMIN_COOKIE)?.value;
  if (!adminKey) return json({ error: "not signed in" }, 401);
  const fetchSite = request.headers.get("sec-fetch-site");
  if ((fetchSite && fetchSite !== "same-origin") || request.headers.get(CREDENTIALS_HEADER) !== "1") {
    return json({ error: "credentials are only given to console pages" }, 403);
  }
  return json({ wsUrl: env.COHORT_WS_URL, adminKey }, 200);
}

function json(body: unknown, status: number) {
  return NextResponse.json(body, { status, headers: { "cache-control": "no-store, private", pragma: "no-cache" } });
}
