import { mkdirSync } from "node:fs";

/**
 * A Prisma adapter on an embedded PGlite database in `dataDir` that closes the database when it is
 * disposed of (PrismaClient.$disconnect) or, failing that, when the process runs out of work (the
 * Prisma CLI never disposes of its adapter). The stock adapter's dispose does nothing: a process
 * that ends with the database open leaves the folder needing WAL recovery, and the next open can
 * abort with "RuntimeError: Aborted()" (electric-sql/pglite#884).
 */
export async function pgliteAdapter(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const pglite = new PGlite(dataDir);
  const close = async () => {
    if (!pglite.closed) await pglite.close();
  };
  process.once("beforeExit", () => void close());
  const factory = new PrismaPGlite(pglite);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    adapter.dispose = close;
    return adapter;
  };
  return factory;
}
