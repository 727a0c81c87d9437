import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeReport, encodeReport, ReportDecodeError } from "./report.js";
import { reportWithSamples } from "./testing/fixtures.js";

describe("encodeReport / decodeReport", () => {
  const report = reportWithSamples("t1", [1_000, 2_000, 3_000], {
    sampledTraces: [{ kind: "edit", client: 0, seq: 0, intendedAt: 1, sentAt: 1.2, ackAt: 4, ok: false, code: "TIMEOUT" }],
    clock: { offsetMs: -12.5, uncertaintyMs: 0.75, rttMs: 1.5, samples: 8 },
  });

  it("round-trips through gzip JSON", () => {
    const buf = encodeReport(report);
    expect(buf.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(decodeReport(buf)).toEqual(report);
  });

  it("carries the clock estimate's offset and uncertainty, and accepts a report without one", () => {
    expect(decodeReport(encodeReport(report)).clock).toEqual({ offsetMs: -12.5, uncertaintyMs: 0.75, rttMs: 1.5, samples: 8 });
    const { clock: _, ...older } = report;
    expect(decodeReport(encodeReport(older)).clock).toBeUndefined();
  });

  it("refuses corrupt gzip", () => {
    const buf = encodeReport(report);
    const truncated = buf.subarray(0, buf.length - 20);
    expect(() => decodeReport(truncated)).toThrow(ReportDecodeError);
    expect(() => decodeReport(truncated)).toThrow(/not valid gzip/);
    expect(() => decodeReport(Buffer.from("plain text"))).toThrow(/not valid gzip/);
  });

  it("refuses gzip that is not JSON", () => {
    expect(() => decodeReport(gzipSync("{ not json"))).toThrow(/not valid JSON/);
  });

  it.each([
    ["a missing field", { ...report, counters: undefined }, /counters/],
    ["a wrong type", { ...report, testId: "7" }, /testId/],
    ["a negative count", { ...report, counters: { ...report.counters, sent: -1 } }, /sent/],
    ["a histogram that is not base64", { ...report, histograms: { edit: "not base64!" } }, /not base64/],
    ["a per-second key that is not a second", { ...report, perSecond: { soon: {} } }, /perSecond\.soon/],
    ["too many traces", { ...report, sampledTraces: Array(1_001).fill(report.sampledTraces[0]) }, /sampledTraces/],
    ["a JSON array", [report], /expected object/],
    ["a negative clock uncertainty", { ...report, clock: { ...report.clock, uncertaintyMs: -1 } }, /clock\.uncertaintyMs/],
  ])("refuses %s with a readable message", (_, shape, message) => {
    const decode = () => decodeReport(gzipSync(JSON.stringify(shape)));
    expect(decode).toThrow(ReportDecodeError);
    expect(decode).toThrow(message);
  });

  it("refuses a whole-run histogram that does not decode", () => {
    const damaged = { ...report, histograms: { edit: "AAAAAAAAAAAA" } };
    expect(() => decodeReport(gzipSync(JSON.stringify(damaged)))).toThrow(/histogram "edit" is damaged/);
  });
});
