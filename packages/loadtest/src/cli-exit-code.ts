import { findP99Violations } from "./stats/summarize-latency.js";
import type { EncodedHistograms } from "./stats/tester-stats.js";

export interface CliOutcome {
  /** 0: passed; 1: the test failed or missed `--max-p99`. */
  exitCode: 0 | 1;
  /** Why, one line each, for the terminal. */
  messages: string[];
}

/**
 * The CLI's verdict on a finished test: a failed test, or any event kind whose p99 is above
 * `maxP99Ms`, exits 1 so CI jobs can gate on it.
 */
export function decideCliOutcome(input: {
  finalState: string;
  error: string | null;
  histograms: EncodedHistograms;
  maxP99Ms: number | undefined;
}): CliOutcome {
  const messages: string[] = [];
  if (input.finalState === "failed") messages.push(`The test failed: ${input.error ?? "unknown reason"}`);
  if (input.maxP99Ms !== undefined) {
    for (const v of findP99Violations(input.histograms, input.maxP99Ms)) {
      messages.push(`p99 of ${v.key} is ${(v.valuesMs[0] as number).toFixed(1)} ms, above --max-p99 ${input.maxP99Ms} ms`);
    }
  }
  return { exitCode: messages.length > 0 ? 1 : 0, messages };
}
