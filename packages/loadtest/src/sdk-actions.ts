import type { Actions } from "./virtual-client.js";
import type { VirtualSession } from "./virtual-session.js";

export interface SdkActionsOptions {
  /** @default Math.random */
  random?: () => number;
  /**
   * Comments posted on one question before the client asks a new one (threads cap their comments).
   * @default 200
   */
  commentsPerThread?: number;
}

/**
 * The scenario's actions for one virtual client, through the SDK as an IDE would call it:
 * cursor → cursor.move, edit → live-document insert/delete and push, save → files.write,
 * open → edits.sync or files.read, list → files.list, question → qna.create, comment →
 * qna.comment. Mutations that fan out to watchers (cursor, edit, save) carry the action's trace.
 */
export function createSdkActions(session: VirtualSession, options: SdkActionsOptions = {}): Actions {
  const random = options.random ?? Math.random;
  const commentsPerThread = options.commentsPerThread ?? 200;
  const { api } = session.client;
  const where = { lessonId: session.lessonId, ownerId: session.ownerId };
  const file = { ...where, path: session.path };
  // Edits of one client go one after another, so each push carries exactly one action's update
  // (a real editor batches too); latency still counts from each one's intended time.
  let edits: Promise<unknown> = Promise.resolve();
  let thread: { id: number; comments: number } | null = null;

  const ask = async (content: string, trace: ReturnType<VirtualSession["trace"]>, signal: AbortSignal) => {
    const created = await api.qna.create.mutate({ lessonId: session.lessonId, ref: { ownerId: session.ownerId, path: session.path, lines: { start: 1, end: 1 } }, acl: [], content, trace }, { signal });
    thread = { id: created.id, comments: 0 };
    return created;
  };

  return {
    cursor: (context) => {
      const length = session.live.toString().length;
      const position = { line: 0, column: Math.floor(random() * (Math.min(length, 200) + 1)) };
      return api.cursor.move.mutate({ ...file, position, trace: session.trace(context) }, { signal: context.signal });
    },
    edit: (context) => {
      const run = edits.then(() => session.edit(context, random));
      edits = run.catch(() => undefined);
      return run;
    },
    save: (context) => api.files.write.mutate({ ...file, content: session.live.toString(), trace: session.trace(context) }, { signal: context.signal }),
    open: (context) =>
      context.seq % 2 === 0 ? api.edits.sync.mutate(file, { signal: context.signal }) : api.files.read.query(file, { signal: context.signal }),
    list: (context) => api.files.list.query(where, { signal: context.signal }),
    question: (context) => ask(`Question ${context.traceId}: why does line 1 do this?`, session.trace(context), context.signal),
    comment: async (context) => {
      const trace = session.trace(context);
      if (!thread || thread.comments >= commentsPerThread) return ask(`Question ${context.traceId}`, trace, context.signal);
      thread.comments++;
      return api.qna.comment.mutate({ lessonId: session.lessonId, threadId: thread.id, content: `Comment ${context.traceId}`, trace }, { signal: context.signal });
    },
  };
}
