import type { QnaCodeRef, QnaComment, QnaThread, QnaThreadHead } from "../../schemas/qna.js";
import type { ThreadRow } from "./select-threads.js";

/** The wire shape of a thread; `ref` is where its anchor resolves now (the stored one if not given). */
export function toThreadView(row: ThreadRow, ref?: Omit<QnaCodeRef, "ownerId" | "path">): QnaThread {
  return { ...toThreadHead(row, ref), comments: row.comments };
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
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The wire shape of a comment as the Prisma client returns it (create, edit). */
export function toCommentView(
  threadId: number,
  comment: { id: number; authorId: number; content: string; deleted: boolean; createdAt: Date; updatedAt: Date; author: { nickname: string } },
): QnaComment {
  return {
    id: comment.id,
    threadId,
    author: { id: comment.authorId, nickname: comment.author.nickname },
    content: comment.deleted ? "" : comment.content,
    createdAt: comment.createdAt.toISOString(),
    updatedAt: comment.updatedAt.toISOString(),
    deleted: comment.deleted,
  };
}
