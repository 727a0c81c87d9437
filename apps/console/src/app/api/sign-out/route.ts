import { NextResponse, type NextRequest } from "next/server";
import { clearedAdminCookie, isSameOrigin } from "~/auth/admin-cookie";
import { seeOther } from "~/lib/see-other";

export function POST(request: NextRequest) {
  if (!isSameOrigin(request)) return NextResponse.json({ error: "cross-origin sign-out refused" }, { status: 403 });
  const response = seeOther("/sign-in");
  response.cookies.set(clearedAdminCookie(request));
  return response;
}
