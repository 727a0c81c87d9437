import { describe, expect, it } from "vitest";
import { qnaThreadPages, type QnaListInput, type QnaLister, type QnaThreadView } from "./qna-thread-pages.js";

/** A server of `ids` (newest first by id) that records what it was asked. */
function fakeServer(ids: number[]) {
  const asked: QnaListInput[] = [];
  const api: QnaLister = {
    qna: {
      list: {
        query: async (input) => {
          asked.push(input);
          const older = ids.filter((id) => input.before === undefined || id < input.before).sort((a, b) => b - a);
          return older.slice(0, input.limit ?? 100).map((id) => ({ id }) as QnaThreadView);
        },
      },
    },
  };
  return { api, asked };
}

async function walk(api: QnaLister, input: Omit<QnaListInput, "before">) {
  const pages: number[][] = [];
  for await (const page of qnaThreadPages(api, input)) pages.push(page.map((t) => t.id));
  return pages;
}

describe("qnaThreadPages", () => {
  it("continues each page before the last thread of the previous one, and stops at a short page", async () => {
    const { api, asked } = fakeServer(Array.from({ length: 7 }, (_, i) => i + 1));
    expect(await walk(api, { lessonId: 1, ownerId: 2, limit: 3 })).toEqual([[7, 6, 5], [4, 3, 2], [1]]);
    expect(asked).toEqual([
      { lessonId: 1, ownerId: 2, limit: 3 },
      { lessonId: 1, ownerId: 2, limit: 3, before: 5 },
      { lessonId: 1, ownerId: 2, limit: 3, before: 2 },
    ]);
  });

  it("asks once more after a full last page and yields no empty page", async () => {
    const { api, asked } = fakeServer([1, 2, 3, 4]);
    expect(await walk(api, { lessonId: 1, limit: 2 })).toEqual([[4, 3], [2, 1]]);
    expect(asked).toHaveLength(3);
  });

  it("sends its own page size when none is given", async () => {
    const { api, asked } = fakeServer([1]);
    expect(await walk(api, { lessonId: 1 })).toEqual([[1]]);
    expect(asked[0]?.limit).toBe(100);
  });
});
