import type { TreeEntry } from "../tree-entry.js";

/**
 * Unpacked templates this process used recently, by cache key, within a byte budget (oldest
 * first out). A key names one version of a zip (its checksum is part of it), so an entry can
 * never be stale; the TTL only lets unused templates go.
 */
export class RecentTemplates {
  readonly #entries = new Map<string, { entries: TreeEntry[]; bytes: number; until: number }>();
  #bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly ttlMs: number,
  ) {}

  get(key: string, now = Date.now()): TreeEntry[] | undefined {
    const hit = this.#entries.get(key);
    if (hit === undefined) return undefined;
    if (hit.until <= now) {
      this.#drop(key);
      return undefined;
    }
    return hit.entries;
  }

  set(key: string, entries: TreeEntry[], now = Date.now()): void {
    const bytes = entries.reduce((sum, entry) => sum + (entry.content?.length ?? 0) + entry.path.length, 0);
    if (bytes > this.maxBytes) return;
    this.#drop(key);
    while (this.#bytes + bytes > this.maxBytes) this.#drop(this.#entries.keys().next().value as string);
    this.#entries.set(key, { entries, bytes, until: now + this.ttlMs });
    this.#bytes += bytes;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
