import type { Db } from "@cohort/db";
import type { AccessCache } from "./domain/access-cache.js";
import type { CursorCoalescer } from "./domain/cursor-coalescer.js";
import type { CallObserver, DocsPort, EventLogPort, FilesPort, Logger, PresencePort, ProjectsPort } from "./ports.js";

/** Who is calling. Testers are users created for a load test; admins hold the admin key. */
export type Principal = { kind: "user"; userId: number } | { kind: "admin" };

/** Everything the routers need, built once per process by apps/server. */
export interface Deps {
  db: Db;
  events: EventLogPort;
  presence: PresencePort;
  /** Per-instance cache of project permissions, invalidated across instances. */
  access: AccessCache;
  /** Project files; absent until the storage layer is wired. */
  projects?: ProjectsPort;
  files: FilesPort;
  docs: DocsPort;
  limits: Limits;
  /** Per-instance latest-wins throttle of cursor events. */
  cursors: CursorCoalescer<() => void>;
  /** Told when files move or go, so Q&A references can follow. */
  onRenamed?: (change: { lessonId: number; ownerId: number; path: string; newPath: string }) => Promise<void>;
  onDeleted?: (change: { lessonId: number; ownerId: number; path: string }) => Promise<void>;
  /** Live traffic sampling for admins (monitor.watch); absent means nobody pays for it. */
  monitor?: { record(lessonId: number, trace: { event: string; from: number; to: number; trace?: object | undefined; size: number }): void };
  logger: Logger;
  instanceId: string;
  /** Epoch milliseconds; injectable so tests can control time. */
  now: () => number;
  observe?: CallObserver;
}

export interface Context {
  deps: Deps;
  principal: Principal;
  /** Unique per WebSocket connection (or HTTP request). */
  connectionId: string;
}

export interface Limits {
  maxPathBytes: number;
  maxFileBytes: number;
  maxUpdateBytes: number;
  /** Cursor events of one connection and file are coalesced to one per this interval (latest wins). */
  cursorIntervalMs: number;
}
