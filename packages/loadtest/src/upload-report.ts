import { encodeReport, type TesterReport } from "./report.js";

export interface UploadReportOptions {
  /** The server's WebSocket URL (what testers connect to); the upload goes to the same host. */
  serverUrl: string;
  testToken: string;
  report: TesterReport;
  /** @default 4 */
  attempts?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** `ws://host:4000/trpc` → `http://host:4000/testers/report`. */
export function reportUrl(serverUrl: string, { testId, testerId }: { testId: number; testerId: string }): string {
  const url = new URL(serverUrl);
  url.protocol = url.protocol === "wss:" ? "https:" : url.protocol === "ws:" ? "http:" : url.protocol;
  url.pathname = `${url.pathname.replace(/\/trpc\/?$/, "")}/testers/report`;
  url.search = new URLSearchParams({ testId: String(testId), testerId }).toString();
  return url.toString();
}

export class ReportUploadError extends Error {
  override readonly name = "ReportUploadError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * POSTs the gzip report with the test token. Network failures and 5xx are retried with backoff;
 * a 4xx is final (the server said why, e.g. the report came after the tester's deadline).
 */
export async function uploadReport({ serverUrl, testToken, report, attempts = 4, fetch: fetchImpl = globalThis.fetch }: UploadReportOptions): Promise<{ reportKey: string }> {
  // A plain Uint8Array (a copy over its own ArrayBuffer) is a body under both Node's and DOM's types.
  const body = new Uint8Array(encodeReport(report));
  const url = reportUrl(serverUrl, report);
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (attempt - 1)));
    try {
      const response = await fetchImpl(url, {
        method: "POST",
        headers: { "content-type": "application/gzip", "x-test-token": testToken },
        body,
      });
      const answer = (await response.json().catch(() => ({}))) as { reportKey?: string; error?: { message?: string } };
      if (response.ok && answer.reportKey) return { reportKey: answer.reportKey };
      const error = new ReportUploadError(`report refused (${response.status}): ${answer.error?.message ?? response.statusText}`, response.status);
      if (response.status < 500) throw error;
      lastError = error;
    } catch (error) {
      if (error instanceof ReportUploadError && (error.status ?? 500) < 500) throw error;
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new ReportUploadError(String(lastError));
}
