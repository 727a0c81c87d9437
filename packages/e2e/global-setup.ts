// Once per run: checks the browser is there, then builds the console (each worker serves the
// build with `next start`). E2E_SKIP_BUILD=1 reuses the last build; E2E_CONSOLE_MODE=dev serves
// `next dev` instead (no build, slower pages).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "./fixtures/chromium.js";
import { consoleDir, nextBin } from "./fixtures/paths.js";

export default function globalSetup() {
  if (!existsSync(chromium.executablePath)) {
    throw new Error(`No Chromium at ${chromium.executablePath}: apt-get update && apt-get install -y chromium (or set E2E_CHROMIUM)`);
  }
  if (process.env.E2E_SKIP_BUILD === "1" || process.env.E2E_CONSOLE_MODE === "dev") return;
  const started = performance.now();
  // `next build` directly, not `npm run build`: the console's typecheck and API reference
  // generation (its prebuild) are not what these tests check, and lint/typecheck run elsewhere.
  execFileSync(nextBin, ["build"], { cwd: consoleDir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, stdio: "inherit" });
  console.log(`console built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
