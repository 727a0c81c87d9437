import { PREPARED, type Db } from "@cohort/db";
import { lessonNotFound, notAMember } from "./membership-errors.js";
import type { LessonMembership } from "./membership.js";

export interface JoinState extends LessonMembership {
  /** The caller's project in the lesson, or null before their first join. */
  project: { id: number; createdAt: Date; templateApplied: boolean } | null;
}

interface Row {
  id: number;
  courseId: number;
  name: string;
  description: string;
  active: boolean;
  templateKey: string | null;
  participantId: number | null;
  nickname: string | null;
  role: "TEACHER" | "STUDENT" | null;
  projectId: number | null;
  projectCreatedAt: Date | string | null;
  templateApplied: boolean | null;
}

/**
 * What `lesson.join` needs to know, in one query: the lesson, the caller's participant in its
 * course and their project. Raw SQL because each Prisma model call costs about a millisecond of
 * CPU to compile, and a class joins at once (tables and columns as prisma/schema.prisma names them).
 */
export async function loadJoinState(db: Db, lessonId: number, userId: number): Promise<JoinState> {
  const [row] = await db.$queryRaw<Row[]>`${PREPARED}
    SELECT l."id", l."courseId", l."name", l."description", l."active", l."templateKey",
           p."id" AS "participantId", p."nickname", p."role"::text AS "role",
           pr."id" AS "projectId", pr."createdAt" AS "projectCreatedAt", pr."templateApplied"
    FROM "Lesson" l
    LEFT JOIN "Participant" p ON p."courseId" = l."courseId" AND p."userId" = ${userId}
    LEFT JOIN "Project" pr ON pr."lessonId" = l."id" AND pr."ownerId" = p."id"
    WHERE l."id" = ${lessonId}`;
  if (!row) throw lessonNotFound(lessonId);
  if (row.participantId === null || row.nickname === null || row.role === null) throw notAMember(lessonId);
  const { id, courseId, name, description, active, templateKey } = row;
  return {
    lesson: { id, courseId, name, description, active, templateKey },
    participant: { id: row.participantId, nickname: row.nickname, role: row.role },
    project:
      row.projectId === null
        ? null
        : { id: row.projectId, createdAt: new Date(row.projectCreatedAt as Date | string), templateApplied: row.templateApplied === true },
  };
}
