import { NextResponse } from "next/server";

/**
 * A 303 to a path of this console, with a relative Location. Behind a proxy or when reached as
 * 127.0.0.1, `request.url` can name another host than the browser used (Next normalises it),
 * and a redirect there would lose the cookie, which belongs to the host the browser sees.
 */
export function seeOther(pathWithQuery: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: pathWithQuery, "cache-control": "no-store" } });
}
