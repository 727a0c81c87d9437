import { PREPARED, Prisma, type Db } from "@cohort/db";
import type { QnaComment } from "../../schemas/qna.js";

/** A thread as one row: its code reference, author, access list and comments (as sent). */
export interface ThreadRow {
  id: number;
  lessonId: number;
  resolved: boolean;
  /** ISO-8601, as sent. */
  createdAt: string;
  updatedAt: string;
  authorId: number;
  authorNickname: string;
  refId: number;
  projectId: number;
  ownerId: number;
  path: string;
  lineStart: number;
  lineEnd: number;
  outdated: boolean;
  anchor: Uint8Array | null;
  excerpt: string;
  acl: number[];
  comments: QnaComment[];
}

export interface ThreadFilter {
  lessonId: number;
  /**
   * Only threads whose access list holds this user (their participant in the lesson's course, found
   * by the same statement, so the caller need not look it up first).
   */
  viewerUserId?: number | undefined;
  ownerId?: number | undefined;
  path?: string | undefined;
  threadIds?: number[] | undefined;
  refIds?: number[] | undefined;
  /** Only threads older than this thread id (ids grow in creation order). */
  before?: number | undefined;
  /** At most this many threads (the newest ones). */
  limit?: number | undefined;
}

/**
 * A `timestamp(3)` column (stored in UTC) as the ISO-8601 text `Date#toISOString` gives: built by
 * PostgreSQL, so no Date is made per comment in the server.
 */
const iso = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Threads with everything a client shows, in ONE statement whatever their number: the access list
 * and the comments are aggregated per thread inside PostgreSQL (no query per thread, no query per
 * relation; Prisma's include would send one per relation level). Deleted comments come without
 * their content. Newest first (by id, which grows in creation order), so `before` + `limit` page
 * through them exactly: threads created meanwhile have larger ids and never shift a later page.
 *
 * The page's ids are chosen first, from the threads alone (and their reference when filtered by
 * owner or path), and only those rows are joined and aggregated: joining every thread of the
 * lesson before cutting the page cost more than the page. Every filter is a parameter (absent ones
 * are NULL), so the statement has few forms and is prepared once per connection.
 */
export async function selectThreads(db: Db, filter: ThreadFilter): Promise<ThreadRow[]> {
  if (filter.threadIds?.length === 0 || filter.refIds?.length === 0) return [];
  const byRef = filter.ownerId !== undefined || filter.path !== undefined || filter.refIds !== undefined;
  const conditions = [Prisma.sql`t0."lessonId" = ${filter.lessonId}`];
  if (filter.viewerUserId !== undefined) {
    // An uncorrelated subquery: PostgreSQL finds the participant once, then probes the access lists.
    const me = Prisma.sql`SELECT p.id FROM "Participant" p JOIN "Lesson" l ON l."courseId" = p."courseId" WHERE l.id = ${filter.lessonId} AND p."userId" = ${filter.viewerUserId}`;
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "QnaThreadViewer" v WHERE v."threadId" = t0.id AND v."participantId" = (${me}))`);
  }
  if (filter.ownerId !== undefined) conditions.push(Prisma.sql`p0."ownerId" = ${filter.ownerId}`);
  if (filter.path !== undefined) conditions.push(Prisma.sql`r0.path = ${filter.path}`);
  if (filter.threadIds !== undefined) conditions.push(Prisma.sql`t0.id = ANY(${filter.threadIds}::int[])`);
  if (filter.refIds !== undefined) conditions.push(Prisma.sql`r0.id = ANY(${filter.refIds}::int[])`);
  if (filter.before !== undefined) conditions.push(Prisma.sql`t0.id < ${filter.before}`);
  const refJoin = byRef ? Prisma.sql`JOIN "CodeRef" r0 ON r0.id = t0."codeRefId" JOIN "Project" p0 ON p0.id = r0."projectId"` : Prisma.empty;
  // bytea travels as base64 text: Prisma's raw-query decoding refuses the driver's Buffer.
  const rows = await db.$queryRaw<(Omit<ThreadRow, "anchor" | "comments"> & { anchor: string | null; comments: CommentTuple[] | string })[]>`${PREPARED}
    SELECT t.id, t."lessonId", t.resolved, ${iso(Prisma.sql`t."createdAt"`)} AS "createdAt", ${iso(Prisma.sql`t."updatedAt"`)} AS "updatedAt",
      t."authorId", ta.nickname AS "authorNickname",
      r.id AS "refId", r."projectId", p."ownerId", r.path, r."lineStart", r."lineEnd", r.outdated, encode(r.anchor, 'base64') AS anchor, r.excerpt,
      ARRAY(SELECT v."participantId" FROM "QnaThreadViewer" v WHERE v."threadId" = t.id ORDER BY v."participantId") AS acl,
      COALESCE((
        SELECT json_agg(json_build_array(
          c.id, c."authorId", ca.nickname, CASE WHEN c.deleted THEN '' ELSE c.content END, c.deleted,
          ${iso(Prisma.sql`c."createdAt"`)}, ${iso(Prisma.sql`c."updatedAt"`)}
        ) ORDER BY c.id)
        FROM "QnaComment" c JOIN "Participant" ca ON ca.id = c."authorId"
        WHERE c."threadId" = t.id
      ), '[]'::json) AS comments
    FROM (
      SELECT t0.id FROM "QnaThread" t0 ${refJoin}
      WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY t0.id DESC
      LIMIT ${filter.limit ?? null}::int
    ) page
    JOIN "QnaThread" t ON t.id = page.id
    JOIN "CodeRef" r ON r.id = t."codeRefId"
    JOIN "Project" p ON p.id = r."projectId"
    JOIN "Participant" ta ON ta.id = t."authorId"
    ORDER BY t.id DESC`;
  return rows.map((row) => ({
    ...row,
    anchor: row.anchor === null ? null : new Uint8Array(Buffer.from(row.anchor, "base64")),
    comments: (typeof row.comments === "string" ? (JSON.parse(row.comments) as CommentTuple[]) : row.comments).map((tuple) => commentOf(row.id, tuple)),
  }));
}

/** Comments travel as positional arrays: PostgreSQL builds them markedly faster than objects. */
type CommentTuple = [id: number, authorId: number, nickname: string, content: string, deleted: boolean, createdAt: string, updatedAt: string];

/** Straight into the shape sent: one object per comment, nothing to map later. */
const commentOf = (threadId: number, [id, authorId, nickname, content, deleted, createdAt, updatedAt]: CommentTuple): QnaComment => ({
  id,
  threadId,
  author: { id: authorId, nickname },
  content,
  createdAt,
  updatedAt,
  deleted,
});
