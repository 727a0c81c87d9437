import type { Db } from "@cohort/db";

/**
 * Returns the participant's project in the lesson, creating it on first join. Safe when the same
 * user joins from several tabs at once: the unique (lessonId, ownerId) index decides the winner and
 * losers read the winner's row.
 */
export async function ensureProject(db: Db, lessonId: number, ownerId: number) {
  const existing = await db.project.findUnique({ where: { lessonId_ownerId: { lessonId, ownerId } } });
  return existing ?? createProject(db, lessonId, ownerId);
}

/** Creates the participant's project, or reads it if a concurrent join created it first. */
export async function createProject(db: Db, lessonId: number, ownerId: number, { templateApplied = false } = {}) {
  try {
    return await db.project.create({ data: { lessonId, ownerId, templateApplied } });
  } catch (error) {
    if (isUniqueViolation(error)) {
      return db.project.findUniqueOrThrow({ where: { lessonId_ownerId: { lessonId, ownerId } } });
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
