// Prisma CLI configuration. Migrations run in Prisma's WebAssembly schema engine through a driver
// adapter, so no native engine binary is downloaded (the machine has no route to Prisma's host).
import path from "node:path";
import { defineConfig } from "prisma/config";

// COHORT_EMBEDDED_DB is set by packages/db/src/cli/prisma.ts when DATABASE_URL was not given.
const databaseUrl = process.env.COHORT_EMBEDDED_DB ? undefined : process.env.DATABASE_URL?.trim();
const pgliteDir = path.resolve(import.meta.dirname, process.env.PGLITE_DIR ?? ".data/pglite");
// The CLI asks for the adapter more than once per command; two PGlite instances on one folder
// corrupt it, so every call shares one.
let embedded: ReturnType<typeof import("./packages/db/src/pglite-adapter.js").pgliteAdapter> | undefined;

export default defineConfig({
  schema: path.join(import.meta.dirname, "prisma", "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => {
    if (databaseUrl) {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: databaseUrl });
    }
    // No DATABASE_URL: the embedded PostgreSQL used by `npm start` on a bare machine, closed when
    // the command ends (left open, the next open of the folder can abort).
    const { pgliteAdapter } = await import("./packages/db/src/pglite-adapter.js");
    embedded ??= pgliteAdapter(pgliteDir);
    return embedded;
  },
});
