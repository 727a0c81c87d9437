import { PREPARED, type Db } from "@cohort/db";
import { AppError } from "../errors.js";
import { ALL, canRead, canWrite, effectivePermission, type Role } from "./permission-bits.js";
import type { LessonMembership } from "./membership.js";
import { lessonNotFound, notAMember } from "./membership-errors.js";

export interface ProjectAccess {
  lesson: { id: number; courseId: number; templateKey: string | null };
  viewer: { id: number; nickname: string; role: Role };
  owner: { id: number; nickname: string; role: Role };
  permission: number;
  /** The owner's project in the lesson; null until the owner first joins. */
  projectId: number | null;
}

interface AccessRow {
  id: number;
  courseId: number;
  templateKey: string | null;
  viewerId: number | null;
  viewerNickname: string | null;
  viewerRole: Role | null;
  ownerId: number | null;
  ownerNickname: string | null;
  ownerRole: Role | null;
  projectId: number | null;
  grant: number | null;
}

/**
 * Who the caller is in the lesson, whose project they name, and what they may do with it. The
 * owner must belong to the lesson's course: ids of other courses are refused as not found, so a
 * caller cannot probe which ids exist elsewhere.
 *
 * One query (raw SQL, tables and columns as prisma/schema.prisma names them): the access cache
 * reloads every viewer's entry in the background, and three Prisma calls cost a few milliseconds of
 * CPU each time.
 */
export async function loadProjectAccess(db: Db, input: { lessonId: number; ownerId: number; userId: number }): Promise<ProjectAccess> {
  const [row] = await db.$queryRaw<AccessRow[]>`${PREPARED}
    SELECT l."id", l."courseId", l."templateKey",
           v."id" AS "viewerId", v."nickname" AS "viewerNickname", v."role"::text AS "viewerRole",
           o."id" AS "ownerId", o."nickname" AS "ownerNickname", o."role"::text AS "ownerRole",
           pr."id" AS "projectId", g."permission" AS "grant"
    FROM "Lesson" l
    LEFT JOIN "Participant" v ON v."courseId" = l."courseId" AND v."userId" = ${input.userId}
    LEFT JOIN "Participant" o ON o."id" = ${input.ownerId} AND o."courseId" = l."courseId"
    LEFT JOIN "Project" pr ON pr."lessonId" = l."id" AND pr."ownerId" = o."id"
    LEFT JOIN "ProjectGrant" g ON g."projectId" = pr."id" AND g."viewerId" = v."id"
    WHERE l."id" = ${input.lessonId}`;
  if (!row) throw lessonNotFound(input.lessonId);
  if (row.viewerId === null || row.viewerNickname === null || row.viewerRole === null) throw notAMember(input.lessonId);
  if (row.ownerId === null || row.ownerNickname === null || row.ownerRole === null) {
    throw new AppError("PARTICIPANT_NOT_FOUND", `Participant ${input.ownerId} is not in this lesson's course`);
  }
  const viewer = { id: row.viewerId, nickname: row.viewerNickname, role: row.viewerRole };
  const owner = { id: row.ownerId, nickname: row.ownerNickname, role: row.ownerRole };
  const grant = owner.id === viewer.id ? null : row.grant;
  return {
    lesson: { id: row.id, courseId: row.courseId, templateKey: row.templateKey },
    viewer,
    owner,
    permission: effectivePermission({ viewer, owner, grant }),
    projectId: row.projectId,
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
