import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot, resultsDir } from "../env.js";
import type { BenchResults } from "./bench-results.js";
import { renderResults } from "./markdown.js";

const START = "<!-- bench:latest:start -->";
const END = "<!-- bench:latest:end -->";
export const performanceDoc = path.join(repoRoot, "docs/performance.md");

/** Writes bench/results/<runId>.json and .md; returns their paths. */
export function writeResults(results: BenchResults): { json: string; markdown: string } {
  mkdirSync(resultsDir, { recursive: true });
  const json = path.join(resultsDir, `${results.runId}.json`);
  const markdown = path.join(resultsDir, `${results.runId}.md`);
  writeFileSync(json, JSON.stringify(results, null, 2) + "\n");
  writeFileSync(markdown, renderResults(results, { headingLevel: 1 }));
  return { json, markdown };
}

/**
 * Replaces the generated "latest results" part of docs/performance.md and leaves everything
 * else (how to reproduce, profiles, before/after notes) as people wrote it.
 */
export function updatePerformanceDoc(results: BenchResults): void {
  const generated = `${START}\n\n${renderResults(results, { headingLevel: 3 })}\n${END}`;
  if (!existsSync(performanceDoc)) {
    writeFileSync(performanceDoc, `# Performance\n\n${generated}\n`);
    return;
  }
  const doc = readFileSync(performanceDoc, "utf8");
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  const next = start >= 0 && end > start ? doc.slice(0, start) + generated + doc.slice(end + END.length) : `${doc.trimEnd()}\n\n${generated}\n`;
  writeFileSync(performanceDoc, next);
}
