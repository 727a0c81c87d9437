import type { QnaCodeRef, QnaComment, QnaThread, QnaThreadHead } from "../../schemas/qna.js";
import type { CommentRow, ThreadRow } from "./select-threads.js";

const iso = (ms: number) => new Date(ms).toISOString();

export function toCommentView(threadId: number, row: CommentRow): QnaComment {
  return {
    id: row.id,
    threadId,
    author: { id: row.authorId, nickname: row.nickname },
    content: row.deleted ? "" : row.content,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    deleted: row.deleted,
  };
}

/** The wire shape of a thread; `ref` is where its anchor resolves now (the stored one if not given). */
export function toThreadView(row: ThreadRow, ref?: Omit<QnaCodeRef, "ownerId" | "path">): QnaThread {
  return { ...toThreadHead(row, ref), comments: row.comments.map((c) => toCommentView(row.id, c)) };
}

export function toThreadHead(row: ThreadRow, ref?: Omit<QnaCodeRef, "ownerId" | "path">): QnaThreadHead {
  return {
    id: row.id,
    lessonId: row.lessonId,
    ref: {
      ownerId: row.ownerId,
      path: row.path,
      lines: ref?.lines ?? { start: row.lineStart, end: row.lineEnd },
      outdated: ref?.outdated ?? row.outdated,
      excerpt: ref?.excerpt ?? row.excerpt,
    },
    author: { id: row.authorId, nickname: row.authorNickname },
    resolved: row.resolved,
    acl: row.acl,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

/** Comment rows of the Prisma client (create, edit) in the same shape as selectThreads'. */
export function commentRowOf(comment: {
  id: number;
  authorId: number;
  content: string;
  deleted: boolean;
  createdAt: Date;
  updatedAt: Date;
  author: { nickname: string };
}): CommentRow {
  return {
    id: comment.id,
    authorId: comment.authorId,
    nickname: comment.author.nickname,
    content: comment.content,
    deleted: comment.deleted,
    createdAt: comment.createdAt.getTime(),
    updatedAt: comment.updatedAt.getTime(),
  };
}
