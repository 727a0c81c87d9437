import { z } from "zod";
import { zId, zTrace } from "./ids.js";
import { zPath } from "./path.js";

/** Longest comment, in characters (UTF-16 units). Comments are markdown, stored and sent as text. */
export const QNA_MAX_CONTENT_CHARS = 10_000;
/** Most participants one thread's access list may name. */
export const QNA_MAX_ACL = 500;

const zContent = z
  .string()
  .max(QNA_MAX_CONTENT_CHARS, `content is longer than ${QNA_MAX_CONTENT_CHARS} characters`)
  .refine((content) => content.trim().length > 0, "content is empty")
  // PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
  .refine((content) => !content.includes("\u0000"), "content contains a NUL character");

/** Whole lines, 1-based and inclusive (`{ start: 3, end: 3 }` is line 3). */
export const zLineRange = z
  .object({ start: z.number().int().min(1).max(10_000_000), end: z.number().int().min(1).max(10_000_000) })
  .strict()
  .refine((lines) => lines.end >= lines.start, { message: "lines.end is before lines.start", params: { appCode: "INVALID_RANGE" } });

const zAcl = z.array(zId).max(QNA_MAX_ACL);

/** Threads one `qna.list` call returns when the caller does not say. */
export const QNA_LIST_DEFAULT_LIMIT = 100;
/** Most threads one `qna.list` call returns (a page of threads with all their comments). */
export const QNA_LIST_MAX_LIMIT = 500;

export const zQnaListInput = z
  .object({
    lessonId: zId,
    ownerId: zId.optional(),
    path: zPath.optional(),
    /** Threads per page, newest first. */
    limit: z.number().int().min(1).max(QNA_LIST_MAX_LIMIT).default(QNA_LIST_DEFAULT_LIMIT),
    /** The id of the last thread of the previous page: this page continues with older threads. */
    before: zId.optional(),
  })
  .strict()
  .refine((input) => input.path === undefined || input.ownerId !== undefined, { message: "path needs ownerId", path: ["path"] });

export const zQnaCreateInput = z
  .object({
    lessonId: zId,
    ref: z.object({ ownerId: zId, path: zPath, lines: zLineRange }).strict(),
    /** Who may see the thread besides the project owner and the author (who always may). */
    acl: zAcl.default([]),
    content: zContent,
    trace: zTrace.optional(),
  })
  .strict();

export const zQnaUpdateInput = z
  .object({ lessonId: zId, threadId: zId, acl: zAcl.optional(), resolved: z.boolean().optional(), trace: zTrace.optional() })
  .strict()
  .refine((input) => input.acl !== undefined || input.resolved !== undefined, "Give acl or resolved");

export const zQnaCommentInput = z.object({ lessonId: zId, threadId: zId, content: zContent, trace: zTrace.optional() }).strict();

export const zQnaEditCommentInput = z
  .object({ lessonId: zId, commentId: zId, content: zContent.optional(), delete: z.boolean().optional(), trace: zTrace.optional() })
  .strict()
  .refine((input) => (input.content !== undefined) !== (input.delete === true), "Give either content or delete: true");

export type TQnaListInput = z.infer<typeof zQnaListInput>;
export type TQnaCreateInput = z.infer<typeof zQnaCreateInput>;
export type TQnaUpdateInput = z.infer<typeof zQnaUpdateInput>;
export type TQnaCommentInput = z.infer<typeof zQnaCommentInput>;
export type TQnaEditCommentInput = z.infer<typeof zQnaEditCommentInput>;

// Outputs (produced by the server; types only). Records carry ISO-8601 times.

export interface QnaParticipant {
  id: number;
  nickname: string;
}

export interface QnaComment {
  id: number;
  threadId: number;
  author: QnaParticipant;
  /** Markdown as written; "" once deleted. */
  content: string;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

export interface QnaCodeRef {
  ownerId: number;
  path: string;
  /** Where the code the thread is about is now (1-based, inclusive); the last place it was when outdated. */
  lines: { start: number; end: number };
  /** The code was deleted (the range, or the file). */
  outdated: boolean;
  /** The last text the range held (at most 2,000 characters), for context once outdated. */
  excerpt: string;
}

export interface QnaThread {
  id: number;
  lessonId: number;
  ref: QnaCodeRef;
  author: QnaParticipant;
  resolved: boolean;
  /** Participants who see the thread; always holds the project owner and the author. */
  acl: number[];
  comments: QnaComment[];
  createdAt: string;
  updatedAt: string;
}

export type QnaThreadHead = Omit<QnaThread, "comments">;

interface QnaEventBase {
  lessonId: number;
  threadId: number;
  /** Who caused it; absent when the system did (a file renamed or deleted). */
  actor?: QnaParticipant | undefined;
  at: number;
  trace?: { id: string; t1: number; t0?: number | undefined; t2: number } | undefined;
}

/**
 * Q&A events of inbox.watch. Each goes to the thread's access-list members only; a participant
 * removed from the list gets one `removed` event (no content) so their client can drop the thread.
 */
export type QnaInboxEvent =
  | (QnaEventBase & { type: "qna.thread"; action: "created"; thread: QnaThreadHead; comment: QnaComment })
  | (QnaEventBase & { type: "qna.thread"; action: "updated"; thread: QnaThreadHead })
  | (QnaEventBase & { type: "qna.thread"; action: "removed" })
  | (QnaEventBase & { type: "qna.comment"; action: "created" | "updated" | "deleted"; comment: QnaComment });
