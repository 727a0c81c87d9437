/** Size and count limits of one project. Every value is configurable; see `.env.example`. */
export interface StorageLimits {
  /**
   * Largest file kept inline in Redis; a larger one goes to the blob store and Redis keeps a
   * pointer, transparently to readers. A live document's text (a write with `docVersion`) stays
   * inline whatever its size: it is rewritten after every edit.
   * @default 262_144 (256 KiB)
   */
  maxInlineBytes?: number;
  /**
   * Largest single file.
   * @default 10_485_760 (10 MiB)
   */
  maxFileBytes?: number;
  /**
   * Sum of the sizes of all files of a project.
   * @default 52_428_800 (50 MiB)
   */
  maxProjectBytes?: number;
  /**
   * Entries of a project, files and directories together (an empty directory costs Redis as
   * much as an empty file, so both count).
   * @default 5000
   */
  maxFiles?: number;
  /**
   * Longest path, in UTF-8 bytes (API.md).
   * @default 1024
   */
  maxPathBytes?: number;
  /**
   * Longest path segment, in UTF-8 bytes (API.md).
   * @default 255
   */
  maxSegmentBytes?: number;
}

export const storageLimitDefaults = {
  maxInlineBytes: 256 * 1024,
  maxFileBytes: 10 * 1024 * 1024,
  maxProjectBytes: 50 * 1024 * 1024,
  maxFiles: 5000,
  maxPathBytes: 1024,
  maxSegmentBytes: 255,
} as const satisfies Required<StorageLimits>;

export type ResolvedStorageLimits = Required<StorageLimits>;

export function resolveStorageLimits(limits: StorageLimits = {}): ResolvedStorageLimits {
  const resolved = { ...storageLimitDefaults, ...withoutUndefined(limits) };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer`);
  }
  return resolved;
}

/** `{ a: undefined }` must not override a default when spread. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
