import { NextResponse, type NextRequest } from "next/server";
import { ADMIN_COOKIE } from "~/auth/admin-cookie";
import { renderReportHtml } from "~/lib/report-html";
import { createServerApi, describeError } from "~/trpc/server";

/**
 * The results of a test as a download: `?format=json` (the test and its results as the API returns
 * them) or `?format=html` (a self-contained report, see lib/report-html.ts).
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ testId: string }> }) {
  const adminKey = request.cookies.get(ADMIN_COOKIE)?.value;
  if (!adminKey) return NextResponse.json({ error: "not signed in" }, { status: 401 });
  const testId = Number((await params).testId);
  if (!Number.isSafeInteger(testId) || testId <= 0) return NextResponse.json({ error: "bad test id" }, { status: 400 });
  const format = request.nextUrl.searchParams.get("format") ?? "json";
  if (format !== "json" && format !== "html") return NextResponse.json({ error: "format must be json or html" }, { status: 400 });

  const api = createServerApi(adminKey);
  let results;
  let test;
  try {
    [results, test] = await Promise.all([api.loadtest.results.query({ testId }), api.loadtest.get.query({ testId })]);
  } catch (error) {
    const described = describeError(error);
    const status = described.code === "NOT_FOUND" ? 404 : described.code === "UNAUTHORIZED" ? 401 : 502;
    return NextResponse.json({ error: described.message, code: described.code }, { status });
  }
  const generatedAt = new Date();
  const name = `cohort-load-test-${testId}`;
  const headers = { "cache-control": "no-store, private", "x-content-type-options": "nosniff" };
  if (format === "json") {
    return new NextResponse(JSON.stringify({ generatedAt: generatedAt.toISOString(), test, results }, null, 2), {
      headers: { ...headers, "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="${name}.json"` },
    });
  }
  return new NextResponse(renderReportHtml({ test, results, generatedAt }), {
    headers: {
      ...headers,
      "content-type": "text/html; charset=utf-8",
      "content-disposition": `attachment; filename="${name}.html"`,
      // Opened from the console's origin it must not run anything (it has no scripts anyway).
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    },
  });
}
