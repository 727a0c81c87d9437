import type { Db } from "@cohort/db";

export interface SeedQnaThreadsOptions {
  lessonId: number;
  /** Owners of the projects the threads are spread over (round robin); projects are created if missing. */
  ownerIds: number[];
  /** Authors of the threads and comments (round robin); each thread's author is in its access list. */
  authorIds: number[];
  /** Participants added to every thread's access list (e.g. the teacher who will list them). */
  viewerIds?: number[];
  threads: number;
  /** Comments per thread, the first one included. @default 5 */
  commentsPerThread?: number;
  /** Files the threads are spread over in each project. @default ["main.py", "src/util.py", "README.md"] */
  paths?: string[];
  /** Characters of each comment. @default 120 */
  commentChars?: number;
  /** Rows per INSERT. @default 5_000 */
  batchSize?: number;
}

export interface SeededQnaThreads {
  threadIds: number[];
  comments: number;
}

/**
 * Bulk-inserts Q&A threads straight into the database (a few statements per batch, not one call
 * per thread), for benchmarks and list tests: `seedQnaThreads(db, { lessonId, ownerIds,
 * authorIds, viewerIds: [teacher], threads: 2_000, commentsPerThread: 5 })` gives the teacher a
 * lesson of 2,000 threads and 10,000 comments to `qna.list`. References are stored without a Yjs
 * anchor, so listing them measures the database path only and needs no files in Redis.
 */
export async function seedQnaThreads(db: Db, options: SeedQnaThreadsOptions): Promise<SeededQnaThreads> {
  const { lessonId, ownerIds, authorIds, threads } = options;
  if (ownerIds.length === 0 || authorIds.length === 0) throw new TypeError("seedQnaThreads needs ownerIds and authorIds");
  const commentsPerThread = options.commentsPerThread ?? 5;
  const paths = options.paths ?? ["main.py", "src/util.py", "README.md"];
  const batchSize = options.batchSize ?? 5_000;
  const body = "Why does this loop never end? ".repeat(Math.ceil((options.commentChars ?? 120) / 30)).slice(0, options.commentChars ?? 120);

  const projectIds: number[] = [];
  for (const ownerId of ownerIds) {
    const project = await db.project.upsert({ where: { lessonId_ownerId: { lessonId, ownerId } }, create: { lessonId, ownerId }, update: {}, select: { id: true } });
    projectIds.push(project.id);
  }

  const threadIds: number[] = [];
  let comments = 0;
  for (let offset = 0; offset < threads; offset += batchSize) {
    const count = Math.min(batchSize, threads - offset);
    const indexes = Array.from({ length: count }, (_, i) => offset + i);
    const refs = await db.codeRef.createManyAndReturn({
      data: indexes.map((i) => ({
        projectId: projectIds[i % projectIds.length]!,
        path: paths[Math.floor(i / projectIds.length) % paths.length]!,
        lineStart: 1 + (i % 50),
        lineEnd: 3 + (i % 50),
        excerpt: `line ${1 + (i % 50)}\nline ${2 + (i % 50)}\nline ${3 + (i % 50)}`,
      })),
      select: { id: true },
    });
    const created = await db.qnaThread.createManyAndReturn({
      data: refs.map((ref, k) => ({ lessonId, codeRefId: ref.id, authorId: authorIds[(offset + k) % authorIds.length]!, resolved: (offset + k) % 7 === 0 })),
      select: { id: true, authorId: true, codeRef: { select: { project: { select: { ownerId: true } } } } },
    });
    await db.qnaThreadViewer.createMany({
      data: created.flatMap((t) =>
        [...new Set([t.authorId, t.codeRef.project.ownerId, ...(options.viewerIds ?? [])])].map((participantId) => ({ threadId: t.id, participantId })),
      ),
    });
    const rows = created.flatMap((t, k) =>
      Array.from({ length: commentsPerThread }, (_, c) => ({
        threadId: t.id,
        authorId: c === 0 ? t.authorId : authorIds[(offset + k + c) % authorIds.length]!,
        ...(c > 0 && (offset + k + c) % 11 === 0 ? { content: "", deleted: true } : { content: `${body} #${c}` }),
      })),
    );
    for (let i = 0; i < rows.length; i += batchSize) await db.qnaComment.createMany({ data: rows.slice(i, i + batchSize) });
    threadIds.push(...created.map((t) => t.id));
    comments += rows.length;
  }
  return { threadIds, comments };
}
