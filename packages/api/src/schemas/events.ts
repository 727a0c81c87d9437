// Events delivered by project.watch and inbox.watch (types only; they are produced by the server).

export interface Actor {
  id: number;
  nickname: string;
}

export interface EventTrace {
  id: string;
  t1: number;
  t0?: number | undefined;
  t2: number;
  t3?: number | undefined;
}

interface Base {
  actor: Actor;
  at: number;
  trace?: EventTrace | undefined;
}

export type ProjectEvent =
  | { type: "reset" }
  | (Base & { type: "file.created"; path: string; entryType: "file" | "directory"; size: number })
  | (Base & { type: "file.renamed"; path: string; newPath: string; entryType: "file" | "directory" })
  | (Base & { type: "file.deleted"; path: string; entryType: "file" | "directory" })
  | (Base & { type: "file.written"; path: string; size: number })
  | (Base & { type: "edit"; path: string; update: string; version: number })
  | (Base & {
      type: "cursor";
      path: string;
      participant: Actor;
      position: { line: number; column: number };
      selection?: { start: { line: number; column: number }; end: { line: number; column: number } } | undefined;
    });

export type ProjectEventType = Exclude<ProjectEvent["type"], "reset">;

/**
 * What `project.watch` with `batch: true` sends when several events were queued for the watcher
 * at once: each with its own id, in order; the batch is tracked with the id of the last.
 */
export interface ProjectEventBatch {
  type: "batch";
  events: { id: string; event: ProjectEvent }[];
}
