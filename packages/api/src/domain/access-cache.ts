import type { Db } from "@cohort/db";
import { isAppError } from "../errors.js";
import type { EventLogPort } from "../ports.js";
import { loadProjectAccess, type ProjectAccess } from "./project-access.js";
import { topics } from "./topics.js";

export interface AccessCacheOptions {
  db: Db;
  events: EventLogPort;
  /** Upper bound on staleness should an invalidation be missed (invalidations normally arrive through Redis at once). @default 30_000 */
  ttlMs?: number;
  /** @default 10_000 */
  maxEntries?: number;
}

/**
 * Per-instance cache of project access, so hot paths (edits, cursors) skip the database. Every
 * instance listens to each cached lesson's ACL topic and drops entries when grants change, so a
 * revoked viewer loses access everywhere within one Redis round trip; the TTL bounds staleness if
 * that listener is ever down.
 */
interface Entry {
  at: number;
  /** Its own lifetime: the TTL with jitter, so entries created together do not all expire together. */
  ttlMs: number;
  value: Promise<ProjectAccess>;
  /** A fresh answer is being loaded while this one is still served. */
  refreshing?: boolean;
}

export class AccessCache {
  readonly #entries = new Map<string, Entry>();
  /** The last answer the database gave per key, served while it cannot answer (see #reload). */
  readonly #lastGood = new Map<string, ProjectAccess>();
  readonly #watched = new Map<number, AbortController>();
  readonly #options: Required<AccessCacheOptions>;

  constructor(options: AccessCacheOptions) {
    this.#options = { ttlMs: 30_000, maxEntries: 10_000, ...options };
  }

  get(input: { lessonId: number; ownerId: number; userId: number }): Promise<ProjectAccess> {
    const key = keyOf(input);
    const hit = this.#entries.get(key);
    if (!hit) return this.#reload(key, input);
    if (Date.now() - hit.at >= hit.ttlMs) {
      // Expired without an invalidation: the answer is most likely unchanged. Serve it while a fresh
      // one loads, so an edit never waits for the database just because a timer ran out (that wait
      // was one edit in sixty of every client at two edits a second: the p99). Invalidations still
      // drop the entry at once.
      if (!hit.refreshing) {
        hit.refreshing = true;
        this.#reload(key, input).catch(() => undefined);
      }
    }
    // A project that did not exist yet may have been created since: ask again.
    return hit.value.then((access) => (access.projectId === null ? this.#reload(key, input) : access));
  }

  /**
   * Records an answer the caller has just read from the database anyway (lesson.join knows the
   * caller's own access to their project), so the next call need not ask again.
   */
  prime(input: { lessonId: number; ownerId: number; userId: number }, access: ProjectAccess): void {
    const key = keyOf(input);
    this.#watch(input.lessonId);
    this.#bound();
    this.#entries.set(key, { at: Date.now(), ttlMs: this.#ttlWithJitter(), value: Promise.resolve(access) });
    this.#lastGood.set(key, access);
  }

  #reload(key: string, input: { lessonId: number; ownerId: number; userId: number }): Promise<ProjectAccess> {
    this.#watch(input.lessonId);
    const previous = this.#entries.get(key);
    const refreshing = previous?.refreshing ? previous : undefined;
    // Its value is set below, before the load can settle.
    const entry = { at: Date.now(), ttlMs: this.#ttlWithJitter() } as Entry;
    const value = loadProjectAccess(this.#options.db, input).then(
      (access) => {
        this.#lastGood.set(key, access);
        // A background refresh replaces the stale answer only now, and only if nothing (an
        // invalidation, a newer load) replaced it meanwhile.
        if (refreshing && this.#entries.get(key) === refreshing) this.#entries.set(key, entry);
        return access;
      },
      (error: unknown) => {
        const current = this.#entries.get(key);
        // The database refused (not found, say): that is an answer, and nothing stale may outlive it.
        if (isAppError(error)) {
          if (current === entry || current === refreshing) this.#entries.delete(key);
          throw error;
        }
        // Failures are not cached: the next call asks again (a failed refresh is retried).
        if (current === entry) this.#entries.delete(key);
        if (refreshing && current === refreshing) refreshing.refreshing = false;
        // While the database is unreachable, people already editing keep going on their last known
        // permission. That is safe: no grant can change without the database, and a change made
        // just before arrives as an invalidation through Redis, which drops this fallback too.
        const stale = this.#lastGood.get(key);
        if (stale) return stale;
        throw error;
      },
    );
    entry.value = value;
    if (refreshing) return value;
    this.#bound();
    this.#entries.set(key, entry);
    return value;
  }

  #ttlWithJitter(): number {
    return this.#options.ttlMs * (0.75 + Math.random() * 0.25);
  }

  /** Memory stays bounded: past the limit, start over. */
  #bound(): void {
    if (this.#entries.size >= this.#options.maxEntries) this.#entries.clear();
    if (this.#lastGood.size >= this.#options.maxEntries) this.#lastGood.clear();
  }

  /** Forgets every cached answer of a lesson (grants changed). */
  invalidateLesson(lessonId: number): void {
    const prefix = `${lessonId}:`;
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
    for (const key of this.#lastGood.keys()) if (key.startsWith(prefix)) this.#lastGood.delete(key);
  }

  /** Tells every instance that grants of the lesson changed. */
  async publishChange(lessonId: number): Promise<void> {
    this.invalidateLesson(lessonId);
    await this.#options.events.append(topics.acl(lessonId), { type: "grants.changed" });
  }

  close(): void {
    for (const controller of this.#watched.values()) controller.abort();
    this.#watched.clear();
    this.#entries.clear();
    this.#lastGood.clear();
  }

  #watch(lessonId: number): void {
    if (this.#watched.has(lessonId)) return;
    const controller = new AbortController();
    this.#watched.set(lessonId, controller);
    void (async () => {
      try {
        for await (const _item of this.#options.events.subscribe(topics.acl(lessonId), { signal: controller.signal })) {
          this.invalidateLesson(lessonId);
        }
      } catch {
        // The listener failed (Redis away): forget the lesson so the next read re-subscribes.
      } finally {
        this.invalidateLesson(lessonId);
        if (this.#watched.get(lessonId) === controller) this.#watched.delete(lessonId);
      }
    })();
  }
}

function keyOf(input: { lessonId: number; ownerId: number; userId: number }): string {
  return `${input.lessonId}:${input.ownerId}:${input.userId}`;
}
