import type { IncomingMessage, ServerResponse } from "node:http";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { acceptTesterReport, isAppError, type Deps } from "@cohort/api";

export const REPORT_PATH = "/testers/report";

/**
 * POST /testers/report?testId=&testerId= with `X-Test-Token` and a gzip JSON body (a tester's
 * final report). Bodies over `maxBytes` are refused with 413 before they are buffered whole.
 */
export function createReportRoute({ deps, maxBytes }: { deps: Deps; maxBytes: number }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== "POST") return sendJson(res, 405, { error: { message: "POST a gzip report" } });
    const url = new URL(req.url ?? "/", "http://localhost");
    const testId = Number(url.searchParams.get("testId"));
    const testerId = url.searchParams.get("testerId") ?? "";
    const token = header(req, "x-test-token");
    if (!Number.isSafeInteger(testId) || testId <= 0 || !testerId) {
      return sendJson(res, 400, { error: { appCode: "INVALID_INPUT", message: "testId and testerId are required" } });
    }
    readBody(req, maxBytes).then(
      async (body) => {
        if (!body) return sendJson(res, 413, { error: { appCode: "LIMIT_REACHED", message: `A report may be at most ${maxBytes} bytes` } });
        try {
          const { reportKey } = await acceptTesterReport(deps, { testId, testerId, token, body });
          sendJson(res, 200, { ok: true, reportKey });
        } catch (error) {
          if (!isAppError(error)) {
            deps.logger.error({ err: error, testId, testerId }, "tester report failed");
            return sendJson(res, 500, { error: { appCode: "INTERNAL", message: "Internal server error" } });
          }
          sendJson(res, getHTTPStatusCodeFromError(error), { error: { code: error.code, appCode: error.appCode, message: error.message } });
        }
      },
      () => sendJson(res, 400, { error: { appCode: "INVALID_INPUT", message: "The upload was interrupted" } }),
    );
  };
}

/** The body, or null once it passes `maxBytes` (the rest is drained and discarded). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
