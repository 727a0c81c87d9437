import type { Deps } from "../../context.js";
import { notifyInbox } from "./notify-inbox.js";
import { selectThreads } from "./select-threads.js";
import { toThreadHead } from "./thread-view.js";

type HookDeps = Pick<Deps, "db" | "events" | "now" | "logger" | "monitor">;

/**
 * Keeps Q&A references with their files: `deps.onRenamed` / `deps.onDeleted`, called by
 * files.rename and files.delete after storage changed. A rename moves the references of the file,
 * or of everything under a directory; a delete marks them outdated and never deletes a thread.
 * Either way each affected thread's access list hears of it (`qna.thread` updated).
 */
export function createQnaFileHooks(deps: HookDeps): Required<Pick<Deps, "onRenamed" | "onDeleted">> {
  return {
    async onRenamed({ lessonId, ownerId, path, newPath }) {
      // starts_with, not LIKE: paths may hold % and _. Lengths in characters, as substr counts them.
      const moved = await deps.db.$queryRaw<{ id: number }[]>`
        UPDATE "CodeRef" r SET path = ${newPath} || substr(r.path, char_length(${path}::text) + 1)
        FROM "Project" p
        WHERE p.id = r."projectId" AND p."lessonId" = ${lessonId} AND p."ownerId" = ${ownerId}
          AND (r.path = ${path} OR starts_with(r.path, ${`${path}/`}))
        RETURNING r.id`;
      await announce(deps, lessonId, moved.map((r) => r.id));
    },
    async onDeleted({ lessonId, ownerId, path }) {
      const outdated = await deps.db.$queryRaw<{ id: number }[]>`
        UPDATE "CodeRef" r SET outdated = true
        FROM "Project" p
        WHERE p.id = r."projectId" AND p."lessonId" = ${lessonId} AND p."ownerId" = ${ownerId} AND r.outdated = false
          AND (r.path = ${path} OR starts_with(r.path, ${`${path}/`}))
        RETURNING r.id`;
      await announce(deps, lessonId, outdated.map((r) => r.id));
    },
  };
}

async function announce(deps: HookDeps, lessonId: number, refIds: number[]): Promise<void> {
  if (refIds.length === 0) return;
  const rows = await selectThreads(deps.db, { lessonId, refIds });
  await Promise.all(
    rows.map((row) => notifyInbox(deps, row.acl, { type: "qna.thread", action: "updated", lessonId, threadId: row.id, thread: toThreadHead(row) })),
  ).catch((error: unknown) => deps.logger.warn({ err: error }, "Q&A file change not announced"));
}
