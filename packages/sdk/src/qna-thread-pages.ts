import type { CohortApi } from "./create-client.js";

type QnaListQuery = CohortApi["qna"]["list"]["query"];
export type QnaListInput = Parameters<QnaListQuery>[0];
export type QnaThreadView = Awaited<ReturnType<QnaListQuery>>[number];

/** What `qnaThreadPages` needs of a client; `client.api` is one. */
export interface QnaLister {
  qna: { list: { query(input: QnaListInput): Promise<QnaThreadView[]> } };
}

/**
 * Threads per page when the caller does not say. Always sent, so the walk knows a short page is
 * the last one whatever the server's own default.
 */
const PAGE_SIZE = 100;

/**
 * Every thread the caller may see (of a lesson, a project or a file), a page at a time, newest
 * first: each page continues before the last thread of the previous one, so every thread that
 * existed when the walk began comes exactly once, even while others are created. Threads created
 * during the walk are newer than its first page; inbox.watch brings them.
 *
 * ```ts
 * for await (const page of qnaThreadPages(client.api, { lessonId })) render(page);
 * ```
 */
export async function* qnaThreadPages(api: QnaLister, input: Omit<QnaListInput, "before">): AsyncGenerator<QnaThreadView[], void, undefined> {
  const limit = input.limit ?? PAGE_SIZE;
  let before: number | undefined;
  for (;;) {
    const page = await api.qna.list.query({ ...input, limit, ...(before === undefined ? {} : { before }) });
    if (page.length > 0) yield page;
    if (page.length < limit) return;
    before = page.at(-1)!.id;
  }
}
