import { z } from "zod";
import { zId, zTrace } from "../../schemas/ids.js";
import { userProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { requireMembership } from "../../domain/membership.js";
import { ensureProject } from "../../domain/ensure-project.js";
import { canRead, effectivePermission } from "../../domain/permission-bits.js";
import { topics } from "../../domain/topics.js";

export const zSetPermissionsInput = z
  .object({
    lessonId: zId,
    grants: z
      .array(z.object({ viewerId: zId, permission: z.number().int().min(0).max(7) }).strict())
      .min(1)
      .max(500),
    trace: zTrace.optional(),
  })
  .strict();

/**
 * The caller sets what others may do with the caller's own project. Each viewer whose permission
 * changed is told through inbox.watch; a viewer who lost READ has every watch of this project
 * ended at once on every instance (the revocation travels in the project's own event stream).
 */
export const setPermissions = userProcedure.input(zSetPermissionsInput).mutation(async ({ input, ctx }) => {
  const { db, events, access } = ctx.deps;
  const { lesson, participant: owner } = await requireMembership(db, input.lessonId, ctx.userId);
  const viewerIds = [...new Set(input.grants.map((g) => g.viewerId))];
  if (viewerIds.length !== input.grants.length) throw new AppError("INVALID_INPUT", "A viewer appears twice in grants");
  if (viewerIds.includes(owner.id)) throw new AppError("INVALID_INPUT", "The owner's own permission is always 7 and cannot be granted");
  const viewers = await db.participant.findMany({
    where: { id: { in: viewerIds }, courseId: lesson.courseId },
    select: { id: true, role: true, nickname: true },
  });
  if (viewers.length !== viewerIds.length) {
    const known = new Set(viewers.map((v) => v.id));
    throw new AppError("PARTICIPANT_NOT_FOUND", `Not in this course: ${viewerIds.filter((id) => !known.has(id)).join(", ")}`);
  }
  const project = await ensureProject(db, lesson.id, owner.id);
  const byId = new Map(viewers.map((v) => [v.id, v]));

  const changes = await db.$transaction(async (tx) => {
    const existing = await tx.projectGrant.findMany({ where: { projectId: project.id, viewerId: { in: viewerIds } } });
    const grantOf = new Map(existing.map((g) => [g.viewerId, g.permission]));
    const result = [];
    for (const { viewerId, permission } of input.grants) {
      const viewer = byId.get(viewerId)!;
      const before = effectivePermission({ viewer, owner, grant: grantOf.get(viewerId) ?? null });
      await tx.projectGrant.upsert({
        where: { projectId_viewerId: { projectId: project.id, viewerId } },
        create: { projectId: project.id, viewerId, permission },
        update: { permission },
      });
      result.push({ viewerId, permission, added: permission & ~before, removed: before & ~permission, before });
    }
    return result;
  });

  await access.publishChange(lesson.id);
  const now = ctx.deps.now();
  await Promise.all(
    changes
      .filter((c) => c.added !== 0 || c.removed !== 0)
      .flatMap((c) => {
        const notify = events.append(topics.inbox(lesson.id, c.viewerId), {
          type: "permission.changed",
          ownerId: owner.id,
          owner: { id: owner.id, nickname: owner.nickname },
          permission: c.permission,
          added: c.added,
          removed: c.removed,
          at: now,
        });
        const revoke =
          canRead(c.before) && !canRead(c.permission)
            ? [events.append(topics.project(lesson.id, owner.id), { type: "access.revoked", viewerId: c.viewerId })]
            : [];
        return [notify, ...revoke];
      }),
  );
  return changes.map(({ viewerId, permission, added, removed }) => ({ viewerId, permission, added, removed }));
});
