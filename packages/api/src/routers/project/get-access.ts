import { zLessonInput } from "../../schemas/ids.js";
import { userProcedure } from "../../trpc.js";
import { requireMembership } from "../../domain/membership.js";
import { effectivePermission } from "../../domain/permission-bits.js";

/** Whose projects the caller can open, and who can open the caller's. */
export const getAccess = userProcedure.input(zLessonInput).query(async ({ input, ctx }) => {
  const { db, presence } = ctx.deps;
  const { lesson, participant: me } = await requireMembership(db, input.lessonId, ctx.userId);
  const [participants, projects, grants, online] = await Promise.all([
    db.participant.findMany({ where: { courseId: lesson.courseId }, select: { id: true, nickname: true, role: true }, orderBy: { id: "asc" } }),
    db.project.findMany({ where: { lessonId: lesson.id }, select: { id: true, ownerId: true } }),
    db.projectGrant.findMany({
      where: { project: { lessonId: lesson.id }, OR: [{ viewerId: me.id }, { project: { ownerId: me.id } }] },
      select: { viewerId: true, permission: true, project: { select: { ownerId: true } } },
    }),
    presence.online(lesson.id),
  ]);
  const projectOf = new Map(projects.map((p) => [p.ownerId, p.id]));
  const grantOf = (viewerId: number, ownerId: number) =>
    grants.find((g) => g.viewerId === viewerId && g.project.ownerId === ownerId)?.permission ?? null;
  const onlineSet = new Set(online);

  const canAccess = participants
    .map((owner) => ({ owner, permission: effectivePermission({ viewer: me, owner, grant: grantOf(me.id, owner.id) }) }))
    .filter(({ owner, permission }) => permission > 0 && projectOf.has(owner.id))
    .map(({ owner, permission }) => ({
      ownerId: owner.id,
      nickname: owner.nickname,
      role: owner.role,
      projectId: projectOf.get(owner.id) as number,
      online: onlineSet.has(owner.id),
      permission,
    }));
  const accessedBy = participants
    .filter((viewer) => viewer.id !== me.id)
    .map((viewer) => ({ viewer, permission: effectivePermission({ viewer, owner: me, grant: grantOf(viewer.id, me.id) }) }))
    .filter(({ permission }) => permission > 0)
    .map(({ viewer, permission }) => ({ viewerId: viewer.id, nickname: viewer.nickname, role: viewer.role, permission }));
  return { canAccess, accessedBy };
});
