import type { Db } from "@cohort/db";

export interface TesterAccount {
  userId: number;
  participantId: number;
}

/**
 * `count` tester accounts (users with `isTester`, STUDENT participants) of the course: the
 * existing ones first, so a rerun plays the same accounts, then new ones for the rest. Never the
 * excluded participant (a target that is itself a tester account works in its own project).
 */
export async function ensureTesterAccounts(db: Db, { courseId, count, exclude }: { courseId: number; count: number; exclude?: number | null }): Promise<TesterAccount[]> {
  const existing = await db.participant.findMany({
    where: { courseId, role: "STUDENT", user: { isTester: true }, ...(exclude ? { id: { not: exclude } } : {}) },
    orderBy: { id: "asc" },
    take: count,
    select: { id: true, userId: true },
  });
  const accounts = existing.map((p) => ({ userId: p.userId, participantId: p.id }));
  const missing = count - accounts.length;
  if (missing <= 0) return accounts;
  const created = await db.$transaction(async (tx) => {
    const users = await tx.user.createManyAndReturn({
      data: Array.from({ length: missing }, () => ({ name: "Load tester", isTester: true })),
      select: { id: true },
    });
    return tx.participant.createManyAndReturn({
      data: users.map((u) => ({ courseId, userId: u.id, role: "STUDENT" as const, nickname: `tester-${u.id}` })),
      select: { id: true, userId: true },
    });
  });
  return [...accounts, ...created.map((p) => ({ userId: p.userId, participantId: p.id }))];
}

/**
 * Gives the accounts READ and WRITE on the target's project, so the virtual clients can work in
 * it as the scenario says (students have no access to each other's projects by default).
 */
export async function grantTargetAccess(db: Db, { projectId, participantIds }: { projectId: number; participantIds: readonly number[] }): Promise<void> {
  const READ_WRITE = 4 | 2;
  await db.projectGrant.createMany({
    data: participantIds.map((viewerId) => ({ projectId, viewerId, permission: READ_WRITE })),
    skipDuplicates: true,
  });
  await db.projectGrant.updateMany({ where: { projectId, viewerId: { in: [...participantIds] } }, data: { permission: READ_WRITE } });
}

/**
 * Deletes tester accounts that no remaining test uses (with their participants, projects and
 * grants, by cascade). Only users marked `isTester` are ever deleted. Returns how many went.
 */
export async function deleteUnusedTesterAccounts(db: Db, participantIds: readonly number[]): Promise<number> {
  if (participantIds.length === 0) return 0;
  const stillUsed = await db.loadTestAccount.findMany({
    where: { participantId: { in: [...participantIds] } },
    select: { participantId: true },
    distinct: ["participantId"],
  });
  const used = new Set(stillUsed.map((a) => a.participantId));
  const unused = participantIds.filter((id) => !used.has(id));
  if (unused.length === 0) return 0;
  const participants = await db.participant.findMany({
    where: { id: { in: unused }, user: { isTester: true } },
    select: { userId: true },
  });
  const userIds = participants.map((p) => p.userId);
  // A user with a participant in another course keeps it: delete only users left with none.
  const { count } = await db.user.deleteMany({
    where: { id: { in: userIds }, isTester: true, participants: { every: { id: { in: unused } } } },
  });
  return count;
}
