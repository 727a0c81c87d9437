// Ports the routers depend on. Adapters live in @cohort/realtime, @cohort/storage and apps/server;
// tests may pass real adapters on a test Redis.

export interface LogItem<E = unknown> {
  id: string;
  event: E;
}

export interface EventLogPort {
  append(topic: string, event: object): Promise<string>;
  subscribe(topic: string, options: { lastEventId?: string | undefined; signal?: AbortSignal | undefined }): AsyncGenerator<LogItem>;
}

export type PresenceEvent =
  | { type: "snapshot"; online: number[] }
  | { type: "online" | "offline"; participantId: number };

export interface PresencePort {
  join(lessonId: number, participantId: number, connectionId: string): Promise<void>;
  leave(lessonId: number, participantId: number, connectionId: string): Promise<void>;
  online(lessonId: number): Promise<number[]>;
  watch(lessonId: number, options: { signal?: AbortSignal | undefined }): AsyncGenerator<LogItem<PresenceEvent>>;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Called once per procedure call, for metrics. */
export type CallObserver = (call: { path: string; type: string; ok: boolean; code?: string; durationMs: number }) => void;

export interface ProjectRef {
  lessonId: number;
  ownerId: number;
}

export interface ProjectsPort {
  /** Makes the project's files available: restores its backup, or applies the template once. */
  ensureLoaded(ref: ProjectRef, options: { templateKey?: string | null }): Promise<unknown>;
  /** Records activity (project.ping). */
  touch(ref: ProjectRef): Promise<unknown>;
}

export type EntryType = "file" | "directory";

export interface FileEntry {
  path: string;
  type: EntryType;
  size: number;
  updatedAt: string;
}

/** A project's files (adapter: @cohort/storage). Errors are StorageErrors with a `code`. */
export interface FilesPort {
  list(ref: ProjectRef): Promise<{ entries: FileEntry[]; totalSize: number; quota: number }>;
  /** Stable id (survives renames), type and size of an entry, or null. */
  stat(ref: ProjectRef, path: string): Promise<{ id: number; type: EntryType; size: number } | null>;
  read(ref: ProjectRef, path: string): Promise<{ content: Buffer; size: number }>;
  create(ref: ProjectRef, input: { path: string; type: EntryType; content?: Buffer | undefined }): Promise<FileEntry>;
  /** Replaces a file. With `docVersion`, skipped if a newer version of the live text was already stored. */
  write(ref: ProjectRef, path: string, content: Buffer, options?: { docVersion?: number }): Promise<{ size: number }>;
  /** Throws the quota/size error a write of `size` bytes to `path` would meet, without writing. */
  checkWrite(ref: ProjectRef, path: string, size: number): Promise<void>;
  rename(ref: ProjectRef, path: string, newPath: string): Promise<{ path: string; newPath: string; type: EntryType }>;
  /** Deletes an entry (a directory with everything under it), with the live documents of its files. */
  delete(ref: ProjectRef, path: string): Promise<{ path: string; type: EntryType }>;
  setCursor(ref: ProjectRef, viewerId: number, path: string, cursor: object): Promise<void>;
  getCursor(ref: ProjectRef, viewerId: number, path: string): Promise<object | null>;
}

export interface DocRef {
  tag: string;
  fileId: number;
}

/** Live documents of text files (adapter: @cohort/collab). */
export interface DocsPort {
  sync(ref: DocRef, seedText: () => Promise<string>, stateVector?: Uint8Array): Promise<{ update: Uint8Array; version: number; text: string }>;
  push(ref: DocRef, update: Uint8Array, seedText: () => Promise<string>, accept?: (text: string) => void | Promise<void>): Promise<{ version: number; text: string; update: Uint8Array }>;
  replace(ref: DocRef, next: string, seedText: () => Promise<string>, accept?: (text: string) => void | Promise<void>): Promise<{ version: number; text: string; update: Uint8Array } | null>;
  exists(ref: DocRef): Promise<boolean>;
  drop(refs: DocRef[]): Promise<void>;
}
