import { execFileSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./load-env.js";

/** Applies committed migrations to DATABASE_URL, or to the embedded PostgreSQL when it is unset. */
export function runMigrations(env: Record<string, string>, { quiet = false } = {}) {
  execFileSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "packages/db/src/cli/prisma.ts"), "migrate", "deploy"], {
    cwd: repoRoot,
    env: { ...process.env, ...env, PGLITE_DIR: path.resolve(repoRoot, env.PGLITE_DIR ?? ".data/pglite") },
    stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
  });
}
