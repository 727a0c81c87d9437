import { NextResponse, type NextRequest } from "next/server";
import { adminCookie, isSameOrigin, safeReturnPath } from "~/auth/admin-cookie";
import { verifyAdminKey } from "~/auth/verify-admin-key";
import { seeOther } from "~/lib/see-other";

/** The sign-in form posts here; on success the key goes into the http-only cookie. */
export async function POST(request: NextRequest) {
  if (!isSameOrigin(request)) return NextResponse.json({ error: "cross-origin sign-in refused" }, { status: 403 });
  const form = await request.formData().catch(() => null);
  const adminKey = String(form?.get("adminKey") ?? "").trim();
  const next = safeReturnPath(form?.get("next"));
  const check = await verifyAdminKey(adminKey);
  if (!check.ok) {
    const query = new URLSearchParams({ error: check.reason });
    if (next !== "/lessons") query.set("next", next);
    return seeOther(`/sign-in?${query}`);
  }
  const response = seeOther(next);
  response.cookies.set(adminCookie(adminKey, request));
  return response;
}
