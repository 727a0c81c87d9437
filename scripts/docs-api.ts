// npm run docs:api — regenerates the procedure reference at the end of docs/api.md from the router.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withProcedureReference } from "./lib/api-reference.js";
import { repoRoot } from "./lib/load-env.js";

const file = path.join(repoRoot, "docs", "api.md");
writeFileSync(file, withProcedureReference(readFileSync(file, "utf8")));
console.log(`updated ${path.relative(repoRoot, file)}`);
