/** One entry of a whole project tree, as imported from a zip or exported for a backup. */
export interface TreeEntry {
  path: string;
  type: "file" | "directory";
  /** File bytes; absent (or ignored) for directories, empty for an empty file. */
  content?: Buffer;
}

export interface ProjectRef {
  lessonId: number;
  ownerId: number;
}

export function assertProjectRef(ref: ProjectRef): void {
  for (const [name, value] of [["lessonId", ref.lessonId], ["ownerId", ref.ownerId]] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
    }
  }
}
