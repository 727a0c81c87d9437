// Runs the Prisma CLI offline: the CLI insists that engine files exist even with engine=js, so we
// point it at a placeholder this package ships (TOOLCHAIN.md, "Prisma offline").
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../../..");
const placeholder = path.resolve(here, "../../engine/placeholder.txt");

const env = { ...process.env };
env.PRISMA_QUERY_ENGINE_LIBRARY ??= placeholder;
env.PRISMA_SCHEMA_ENGINE_BINARY ??= placeholder;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
env.CHECKPOINT_DISABLE = "1";
// Without DATABASE_URL the embedded PostgreSQL (PGlite) is used through its driver adapter; the CLI
// still insists that the schema's `env("DATABASE_URL")` resolves, so give it a placeholder and tell
// prisma.config.ts to ignore it.
if (!env.DATABASE_URL?.trim()) {
  env.DATABASE_URL = "postgresql://embedded/pglite";
  env.COHORT_EMBEDDED_DB = "1";
}

const args = process.argv.slice(2);
const bin = path.join(root, "node_modules", ".bin", "prisma");
const result = spawnSync(bin, [...args, "--config", path.join(root, "prisma.config.ts")], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
