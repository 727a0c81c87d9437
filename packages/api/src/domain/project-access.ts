import type { Db } from "@cohort/db";
import { AppError } from "../errors.js";
import { ALL, canRead, canWrite, effectivePermission, type Role } from "./permission-bits.js";
import { requireMembership, type LessonMembership } from "./membership.js";

export interface ProjectAccess {
  lesson: { id: number; courseId: number; templateKey: string | null };
  viewer: { id: number; nickname: string; role: Role };
  owner: { id: number; nickname: string; role: Role };
  permission: number;
  /** The owner's project in the lesson; null until the owner first joins. */
  projectId: number | null;
}

/**
 * Who the caller is in the lesson, whose project they name, and what they may do with it. The
 * owner must belong to the lesson's course: ids of other courses are refused as not found, so a
 * caller cannot probe which ids exist elsewhere.
 */
export async function loadProjectAccess(db: Db, input: { lessonId: number; ownerId: number; userId: number }): Promise<ProjectAccess> {
  const { lesson, participant: viewer } = await requireMembership(db, input.lessonId, input.userId);
  const owner =
    viewer.id === input.ownerId
      ? viewer
      : await db.participant.findFirst({
          where: { id: input.ownerId, courseId: lesson.courseId },
          select: { id: true, nickname: true, role: true },
        });
  if (!owner) throw new AppError("PARTICIPANT_NOT_FOUND", `Participant ${input.ownerId} is not in this lesson's course`);
  const project = await db.project.findUnique({
    where: { lessonId_ownerId: { lessonId: lesson.id, ownerId: owner.id } },
    select: { id: true, grants: { where: { viewerId: viewer.id }, select: { permission: true } } },
  });
  const grant = owner.id === viewer.id ? null : (project?.grants[0]?.permission ?? null);
  return {
    lesson: { id: lesson.id, courseId: lesson.courseId, templateKey: lesson.templateKey },
    viewer,
    owner,
    permission: effectivePermission({ viewer, owner, grant }),
    projectId: project?.id ?? null,
  };
}

/** A participant's access to their own project: every bit, whatever the grants say. */
export function ownProjectAccess({ lesson, participant }: LessonMembership, projectId: number): ProjectAccess {
  return {
    lesson: { id: lesson.id, courseId: lesson.courseId, templateKey: lesson.templateKey },
    viewer: participant,
    owner: participant,
    permission: ALL,
    projectId,
  };
}

export function assertCanRead(access: ProjectAccess): void {
  if (!canRead(access.permission)) {
    throw new AppError("NO_READ_PERMISSION", `You may not read the project of participant ${access.owner.id}`);
  }
}

export function assertCanWrite(access: ProjectAccess): void {
  assertCanRead(access);
  if (!canWrite(access.permission)) {
    throw new AppError("NO_WRITE_PERMISSION", `You may not change the project of participant ${access.owner.id}`);
  }
}
