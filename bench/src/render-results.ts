// Re-renders a run's markdown from its JSON, and with --docs puts it into docs/performance.md:
// `npx tsx bench/src/render-results.ts bench/results/<run>.json [--docs]`.
import { readFileSync, writeFileSync } from "node:fs";
import type { BenchResults } from "./report/bench-results.js";
import { renderResults } from "./report/markdown.js";
import { updatePerformanceDoc } from "./report/write-results.js";

const [file, flag] = process.argv.slice(2);
if (!file?.endsWith(".json")) {
  console.error("usage: tsx bench/src/render-results.ts bench/results/<run>.json [--docs]");
  process.exit(1);
}
const results = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
writeFileSync(file.replace(/\.json$/, ".md"), renderResults(results, { headingLevel: 1 }));
if (flag === "--docs") updatePerformanceDoc(results);
