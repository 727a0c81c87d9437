import { describe, expect, it } from "vitest";
import { decodeReport } from "./report.js";
import { reportWithSamples } from "./testing/fixtures.js";
import { ReportUploadError, reportUrl, uploadReport } from "./upload-report.js";

describe("reportUrl", () => {
  it("posts next to the tRPC endpoint, over HTTP(S)", () => {
    expect(reportUrl("ws://10.0.0.5:4000/trpc", { testId: 3, testerId: "t1" })).toBe("http://10.0.0.5:4000/testers/report?testId=3&testerId=t1");
    expect(reportUrl("wss://cohort.example/api/trpc", { testId: 3, testerId: "t1" })).toBe("https://cohort.example/api/testers/report?testId=3&testerId=t1");
  });
});

describe("uploadReport", () => {
  const report = reportWithSamples("t1", [1_000, 2_000]);

  it("sends the gzip report with the test token, and retries server errors", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      if (calls.length === 1) throw new TypeError("fetch failed");
      if (calls.length === 2) return new Response(JSON.stringify({ error: { message: "busy" } }), { status: 503 });
      return new Response(JSON.stringify({ ok: true, reportKey: "loadtests/7/reports/t1.json.gz" }), { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    await expect(uploadReport({ serverUrl: "ws://h:1/trpc", testToken: "tok", report, fetch })).resolves.toEqual({ reportKey: "loadtests/7/reports/t1.json.gz" });
    expect(calls).toHaveLength(3);
    expect(calls[0]!.init.headers).toMatchObject({ "x-test-token": "tok", "content-type": "application/gzip" });
    expect(decodeReport(calls[2]!.init.body as Uint8Array)).toEqual(report);
  });

  it("does not retry a refusal", async () => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return new Response(JSON.stringify({ error: { message: "Tester t1 was marked failed" } }), { status: 409 });
    }) as unknown as typeof globalThis.fetch;
    const error = await uploadReport({ serverUrl: "ws://h:1/trpc", testToken: "tok", report, fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportUploadError);
    expect(error).toMatchObject({ status: 409, message: expect.stringContaining("marked failed") });
    expect(calls).toBe(1);
  });
});
