import { expect } from "vitest";
import { appCodeOf, errorCodeOf, type CohortClient } from "@cohort/sdk";
import type { QnaInboxEvent } from "@cohort/api/schemas";

/** Holds inbox.watch for a client and keeps the Q&A events it was sent. */
export function watchInbox(client: CohortClient, lessonId: number) {
  const events: QnaInboxEvent[] = [];
  let started = false;
  const subscription = client.api.inbox.watch.subscribe(
    { lessonId },
    {
      onStarted: () => (started = true),
      onData: ({ data }) => {
        const event = data as QnaInboxEvent | { type: string };
        if (event.type.startsWith("qna.")) events.push(event as QnaInboxEvent);
      },
    },
  );
  return {
    events,
    get started() {
      return started;
    },
    /** Events about one thread. */
    about: (threadId: number) => events.filter((e) => e.threadId === threadId),
    stop: () => subscription.unsubscribe(),
  };
}

export async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail").not.toBeNull();
  return { code: errorCodeOf(error), appCode: appCodeOf(error), message: (error as Error).message };
}

/** Joins the lesson as the owner and creates files in the owner's project. */
export async function projectWithFiles(owner: CohortClient, lessonId: number, files: Record<string, string>) {
  const joined = await owner.api.lesson.join.mutate({ lessonId });
  for (const [path, content] of Object.entries(files)) {
    await owner.api.files.create.mutate({ lessonId, ownerId: joined.participant.id, path, type: "file", content });
  }
  return joined.participant.id;
}

/** "line 1\nline 2\n…" with `n` lines and a final newline. */
export const numberedLines = (n: number, prefix = "line") => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join("\n") + "\n";

/** UTF-16 offset of the start of a 1-based line. */
export function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset;
}
