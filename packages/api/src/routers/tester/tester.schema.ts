import { z } from "zod";
import { zId } from "../../schemas/ids.js";

const zTesterId = z.string().regex(/^t\d{1,6}$/, "a tester id is t<index>");
const zCount = z.number().int().min(0);

export const zRegisterTesterInput = z.object({ testId: zId, testerId: zTesterId }).strict();

/** With `testerId`, subscribing also tells the server that tester is set up and ready. */
export const zAwaitStartInput = z.object({ testId: zId, testerId: zTesterId.optional() }).strict();

export const zTesterProgressInput = z
  .object({
    testId: zId,
    testerId: zTesterId,
    /** Epoch second the figures are of. */
    second: z.number().int().positive(),
    /** HdrHistogram compressed base64 (µs) by key: an event kind or `<kind>.delivery`. */
    histograms: z.record(z.string().max(64), z.string().max(65_536)).refine((h) => Object.keys(h).length <= 64, "too many histograms"),
    /** Cumulative since the start. */
    counters: z.object({ sent: zCount, acked: zCount, errors: zCount, delivered: zCount }).strict(),
    process: z.object({ cpuPct: z.number().min(0), lagP99Ms: z.number().min(0) }).strict().optional(),
  })
  .strict();

/** What tester.awaitStart emits. Times are epoch ms on the server's clock. */
export type TesterControlEvent =
  | { type: "start"; startAt: number; endAt: number }
  | { type: "extend"; endAt: number }
  | { type: "stop"; reason: string };
