import { relocateTextAnchor, resolveTextAnchors, type LineRange } from "@cohort/collab";
import type { Prisma } from "@cohort/db";
import type { Context } from "../../context.js";
import { isAppError } from "../../errors.js";
import { storageCall } from "../storage-errors.js";
import { textSeed } from "../text-seed.js";
import { projectTag } from "../topics.js";
import type { ThreadRow } from "./select-threads.js";

export interface ResolvedRef {
  lines: LineRange;
  outdated: boolean;
  excerpt: string;
}

/**
 * Files resolved at once; each costs a stat and a document catch-up (two Redis round trips; a load
 * when not cached). A page of qna.list on at most this many files resolves in one wave; more than
 * that at once would only queue on Redis and the event loop.
 */
const FILE_CONCURRENCY = 16;

/**
 * Where the code of each thread is now. Anchors are resolved against each file's current live
 * document (every instance's edits included), one document load per file. What changed is written
 * back, so the stored lines and excerpt are the last place and text the code had: once its range
 * is deleted the thread is marked outdated for good and keeps them. A missing, binary or directory
 * path reads as outdated without being stored as such, because a rename in flight looks the same
 * (the rename hook moves the reference a moment later); deletes are stored by the delete hook.
 */
export async function resolveAnchors(ctx: Context, rows: readonly ThreadRow[]): Promise<Map<number, ResolvedRef>> {
  const groups = new Map<string, ThreadRow[]>();
  for (const row of rows) {
    if (row.outdated || !row.anchor) continue;
    const key = `${row.lessonId}:${row.ownerId}:${row.path}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const resolved = new Map<number, ResolvedRef>();
  const writes: Prisma.PrismaPromise<unknown>[] = [];
  const { db } = ctx.deps;
  await forEachLimited([...groups.values()], FILE_CONCURRENCY, async (group) => {
    let outcomes: Outcome[];
    try {
      outcomes = await resolveFile(ctx, group);
    } catch (error) {
      // Storage away: answer with the stored places rather than fail the whole list.
      ctx.deps.logger.warn({ err: error, path: group[0]!.path }, "Q&A anchors not resolved");
      return;
    }
    group.forEach((row, i) => {
      const outcome = outcomes[i]!;
      const stored: ResolvedRef = { lines: { start: row.lineStart, end: row.lineEnd }, outdated: false, excerpt: row.excerpt };
      if (outcome.kind !== "live") {
        resolved.set(row.refId, { ...stored, outdated: true });
        if (outcome.kind === "deleted") writes.push(db.codeRef.updateMany({ where: { id: row.refId, outdated: false }, data: { outdated: true } }));
        return;
      }
      const { lines, excerpt } = outcome;
      resolved.set(row.refId, { lines, outdated: false, excerpt });
      const moved = lines.start !== row.lineStart || lines.end !== row.lineEnd || excerpt !== row.excerpt;
      if (moved || outcome.anchor) {
        writes.push(
          db.codeRef.updateMany({
            where: { id: row.refId, outdated: false },
            data: { lineStart: lines.start, lineEnd: lines.end, excerpt, ...(outcome.anchor ? { anchor: outcome.anchor } : {}) },
          }),
        );
      }
    });
  });
  if (writes.length > 0) {
    // Best effort: the answer is right either way, and the next resolution writes again.
    await db.$transaction(writes).catch((error: unknown) => ctx.deps.logger.warn({ err: error }, "Q&A anchor positions not stored"));
  }
  return resolved;
}

type Outcome =
  | { kind: "missing" | "deleted" }
  | { kind: "live"; lines: LineRange; excerpt: string; anchor?: Uint8Array<ArrayBuffer> | undefined };

async function resolveFile(ctx: Context, rows: ThreadRow[]): Promise<Outcome[]> {
  const first = rows[0]!;
  const project = { lessonId: first.lessonId, ownerId: first.ownerId };
  const stat = await storageCall(() => ctx.deps.files.stat(project, first.path));
  if (!stat || stat.type !== "file") return rows.map(() => ({ kind: "missing" }));
  const docRef = { tag: projectTag(project.lessonId, project.ownerId), fileId: stat.id };
  try {
    return await ctx.deps.docs.withDoc(docRef, textSeed(ctx, project, first.path), (doc) => {
      const resolutions = resolveTextAnchors(doc, rows.map((row) => row.anchor!));
      return resolutions.map((resolution, i): Outcome => {
        if (resolution.state === "live") return { kind: "live", lines: resolution.lines, excerpt: resolution.excerpt };
        if (resolution.state === "deleted") return { kind: "deleted" };
        // The document was recreated (project evicted and restored, or the file was binary for a
        // while): anchor again by the last known text and place.
        const row = rows[i]!;
        const relocated = relocateTextAnchor(doc, { lines: { start: row.lineStart, end: row.lineEnd }, excerpt: row.excerpt });
        if (!relocated) return { kind: "deleted" };
        return { kind: "live", lines: relocated.lines, excerpt: relocated.excerpt, anchor: new Uint8Array(relocated.anchor) };
      });
    });
  } catch (error) {
    // A binary file has no document: its text (and the code the thread was about) is gone.
    if (isAppError(error) && error.appCode === "INVALID_UPDATE") return rows.map(() => ({ kind: "missing" }));
    throw error;
  }
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
