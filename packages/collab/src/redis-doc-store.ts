import type { Cluster, Redis } from "ioredis";
import * as Y from "yjs";
import { checkUpdate, TEXT_NAME, type UpdateProblem } from "./check-update.js";
import { APPEND_EVENTS_LUA, type AppendTarget } from "@cohort/realtime";
import { COMMIT, COMMIT_AND_APPEND, COMPACT, LOAD, SEED } from "./lua.js";
import { replaceText } from "./text-diff.js";

export interface DocRef {
  /** Redis Cluster hash tag of the project, e.g. `{l:1:p:2}`. */
  tag: string;
  /** Stable id of the file (survives renames). */
  fileId: number;
}

export interface RedisDocStoreOptions {
  /** A single Redis or a Redis Cluster (both keys of a document share the project's hash tag). */
  redis: Redis | Cluster;
  prefix: string;
  /** Largest update accepted. @default 262_144 */
  maxUpdateBytes?: number;
  /** Snapshot the document after this many updates. @default 200 */
  compactEvery?: number;
  /** Documents kept decoded in memory per instance. @default 1_000 */
  cacheSize?: number;
}

export class UpdateRejectedError extends Error {
  override readonly name = "UpdateRejectedError";
  constructor(readonly problem: UpdateProblem | "TOO_LARGE") {
    super(
      {
        MALFORMED: "The update is not a valid Yjs update",
        WRONG_TYPE: `The update changes something other than the file's text (Y.Text "${TEXT_NAME}")`,
        MISSING_DEPENDENCIES: "The update builds on changes this document does not have (wrong file, or sync first)",
        TOO_LARGE: "The update is too large",
      }[problem],
    );
  }
}

interface Entry {
  doc: Y.Doc;
  ver: number;
}

export interface Committed {
  version: number;
  text: string;
  /** The update as stored (for `files.write`, the diff it produced). */
  update: Uint8Array;
  /** The id of the announced event in its log, when the commit announced one. */
  eventId?: string | undefined;
}

/** What a commit may do besides storing the update. */
export interface CommitOptions<TAnnounce> {
  /** Sees the resulting text before anything is stored and may throw (a quota); then nothing changes. */
  accept?: ((text: string) => void | Promise<void>) | undefined;
  /** The event to append in the same atomic step (for `replace`, made from the update it computed). */
  announce?: TAnnounce | undefined;
}

/**
 * An event the commit appends to a topic log in the same atomic step (an `edit` of the project's
 * log): it is in the log exactly when the update is in the document, and it leaves one round trip
 * sooner than an append after the commit.
 */
export interface CommitAnnouncement {
  /** The log's stream and channel; the stream must share the document's hash tag. */
  target: AppendTarget;
  /** The event's JSON around its version, which only the commit knows: stored as `before + version + after`. */
  event: readonly [before: string, after: string];
}

/**
 * Live documents of text files, shared by every server instance through Redis. The stored form is a
 * snapshot plus the updates after it; each instance keeps decoded documents in an LRU cache and
 * commits with compare-and-set on a version number, so the materialised text an instance computes
 * always corresponds to one exact version, and concurrent pushes on different instances serialise
 * without locks (the loser catches up and retries).
 */
export class RedisDocStore {
  readonly #redis: Redis | Cluster;
  readonly #prefix: string;
  readonly #maxUpdateBytes: number;
  readonly #compactEvery: number;
  readonly #cacheSize: number;
  readonly #cache = new Map<string, Entry>();
  /** Serialises work on one document inside this instance, so cached entries are never raced. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: RedisDocStoreOptions) {
    this.#redis = options.redis;
    // EVALSHA after the first call: the scripts are not resent with every edit.
    for (const [name, lua] of Object.entries({ cohortDocLoad: LOAD, cohortDocSeed: SEED, cohortDocCommit: COMMIT, cohortDocCompact: COMPACT })) {
      if (!(name in options.redis)) options.redis.defineCommand(name, { numberOfKeys: 2, lua });
    }
    if (!("cohortDocCommitAndAppend" in options.redis)) {
      options.redis.defineCommand("cohortDocCommitAndAppend", { numberOfKeys: 3, lua: APPEND_EVENTS_LUA + COMMIT_AND_APPEND });
    }
    this.#prefix = options.prefix;
    this.#maxUpdateBytes = options.maxUpdateBytes ?? 262_144;
    this.#compactEvery = options.compactEvery ?? 200;
    this.#cacheSize = options.cacheSize ?? 1_000;
  }

  /** The update bringing a client at `stateVector` up to date (the whole document without one). */
  sync(ref: DocRef, seedText: () => Promise<string>, stateVector?: Uint8Array): Promise<{ update: Uint8Array; version: number; text: string }> {
    return this.#serial(ref, async () => {
      const entry = await this.#fresh(ref, seedText);
      let update: Uint8Array;
      try {
        update = Y.encodeStateAsUpdate(entry.doc, stateVector);
      } catch {
        throw new UpdateRejectedError("MALFORMED");
      }
      return { update, version: entry.ver, text: entry.doc.getText(TEXT_NAME).toString() };
    });
  }

  /** Applies a client's update and stores it (see CommitOptions). */
  push(ref: DocRef, update: Uint8Array, seedText: () => Promise<string>, { accept, announce }: CommitOptions<CommitAnnouncement> = {}): Promise<Committed> {
    if (update.byteLength > this.#maxUpdateBytes) return Promise.reject(new UpdateRejectedError("TOO_LARGE"));
    return this.#serial(ref, async () => {
      // Validate against the cached document without a round trip; only when the update builds on
      // something it lacks does it catch up with Redis and look again. Whatever other instances
      // committed meanwhile comes back with the commit itself.
      let entry = await this.#cached(ref, seedText);
      let problem = checkUpdate(entry.doc, update);
      if (problem === "MISSING_DEPENDENCIES") {
        entry = await this.#fresh(ref, seedText);
        problem = checkUpdate(entry.doc, update);
      }
      if (problem) throw new UpdateRejectedError(problem);
      return this.#apply(ref, seedText, {
        change: (doc) => {
          Y.applyUpdate(doc, update);
          return update;
        },
        accept,
        announce,
        loaded: entry,
      });
    });
  }

  /** Makes the text equal `next` with a minimal edit (files.write), so concurrent edits survive. */
  replace(
    ref: DocRef,
    next: string,
    seedText: () => Promise<string>,
    { accept, announce }: CommitOptions<(update: Uint8Array) => CommitAnnouncement> = {},
  ): Promise<Committed | null> {
    return this.#serial(ref, async () => {
      const entry = await this.#fresh(ref, seedText);
      if (entry.doc.getText(TEXT_NAME).toString() === next) return null;
      return this.#apply(ref, seedText, { change: (doc) => replaceText(doc, next) ?? new Uint8Array([0, 0]), accept, announce, loaded: entry });
    });
  }

  /** Current text (catching up with other instances first). */
  text(ref: DocRef, seedText: () => Promise<string>): Promise<{ text: string; version: number }> {
    return this.#serial(ref, async () => {
      const entry = await this.#fresh(ref, seedText);
      return { text: entry.doc.getText(TEXT_NAME).toString(), version: entry.ver };
    });
  }

  /**
   * Runs `read` on the file's current document (caught up with every instance, loaded or seeded if
   * needed), in this document's queue so no edit of this instance interleaves. `read` must not
   * change the document: changes made here would never be stored.
   */
  withDoc<T>(ref: DocRef, seedText: () => Promise<string>, read: (doc: Y.Doc, version: number) => T | Promise<T>): Promise<T> {
    return this.#serial(ref, async () => {
      const entry = await this.#fresh(ref, seedText);
      return read(entry.doc, entry.ver);
    });
  }

  /** Whether the file has a live document (then its text must change through it). */
  async exists(ref: DocRef): Promise<boolean> {
    return (await this.#redis.hexists(this.#keys(ref)[0], "snap")) === 1;
  }

  /** Forgets documents (file deleted, project evicted). */
  async drop(refs: DocRef[]): Promise<void> {
    if (refs.length === 0) return;
    for (const ref of refs) this.#cache.delete(this.#cacheKey(ref));
    await this.#redis.del(...refs.flatMap((ref) => this.#keys(ref)));
  }

  async #apply(
    ref: DocRef,
    seedText: () => Promise<string>,
    {
      change,
      accept,
      announce,
      loaded,
    }: CommitOptions<CommitAnnouncement | ((update: Uint8Array) => CommitAnnouncement)> & { change: (doc: Y.Doc) => Uint8Array; loaded?: Entry },
  ): Promise<Committed> {
    const key = this.#cacheKey(ref);
    const entry = loaded ?? (await this.#fresh(ref, seedText));
    let update: Uint8Array;
    try {
      update = change(entry.doc);
      await accept?.(entry.doc.getText(TEXT_NAME).toString());
    } catch (error) {
      // The cached document may hold a change that will never be stored: rebuild it next time.
      this.#cache.delete(key);
      throw error;
    }
    let eventId: string | undefined;
    try {
      const announcement = typeof announce === "function" ? announce(update) : announce;
      const rows = (await this.#commit(ref, entry.ver, Buffer.from(update), announcement)) as Buffer[];
      if (rows.length === 0) throw new Error("The document was deleted while committing");
      const [newVer, snap, id, ...missed] = rows as [Buffer, Buffer, Buffer, ...Buffer[]];
      if (announcement) eventId = id.toString();
      // Updates other instances committed meanwhile; with ours already applied, the document is
      // now exactly at newVer (order does not matter to Yjs).
      if (snap.length > 0) Y.applyUpdate(entry.doc, snap);
      for (const u of missed) Y.applyUpdate(entry.doc, u);
      entry.ver = Number(newVer.toString());
    } catch (error) {
      this.#cache.delete(key);
      throw error;
    }
    const text = entry.doc.getText(TEXT_NAME).toString();
    if (entry.ver % this.#compactEvery === 0) await this.#compact(ref, entry);
    return { version: entry.ver, text, update, eventId };
  }

  /** The commit script, with the event appended in the same step when there is one. */
  #commit(ref: DocRef, version: number, update: Buffer, announce: CommitAnnouncement | undefined): Promise<unknown> {
    if (!announce) return this.#script("cohortDocCommitBuffer", ref, version, update);
    const { target, event } = announce;
    const args = [version, update, target.channel, target.maxLen, target.maxAgeMs, event[0], event[1]];
    return this.#call("cohortDocCommitAndAppendBuffer", [...this.#keys(ref), target.key], args);
  }

  /** The cached document as it is (possibly behind other instances), or loaded if not cached. */
  async #cached(ref: DocRef, seedText: () => Promise<string>): Promise<Entry> {
    const key = this.#cacheKey(ref);
    const entry = this.#cache.get(key);
    if (!entry) return this.#fresh(ref, seedText);
    this.#cache.delete(key);
    this.#cache.set(key, entry); // most recently used last
    return entry;
  }

  /** The cached document brought up to the stored version, loading (or seeding) it if needed. */
  async #fresh(ref: DocRef, seedText: () => Promise<string>): Promise<Entry> {
    const key = this.#cacheKey(ref);
    let entry = this.#cache.get(key);
    if (entry) {
      this.#cache.delete(key);
      this.#cache.set(key, entry); // most recently used last
      await this.#catchUp(ref, entry);
      if (this.#cache.has(key)) return entry;
    }
    entry = await this.#load(ref, seedText);
    this.#cache.set(key, entry);
    while (this.#cache.size > this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string);
    return entry;
  }

  async #load(ref: DocRef, seedText: () => Promise<string>): Promise<Entry> {
    let rows = (await this.#script("cohortDocLoadBuffer", ref, -1)) as Buffer[];
    if (rows.length === 0) {
      const seed = new Y.Doc();
      seed.getText(TEXT_NAME).insert(0, await seedText());
      await this.#script("cohortDocSeed", ref, Buffer.from(Y.encodeStateAsUpdate(seed)));
      seed.destroy();
      // Whoever won the race, everyone now loads the same seed.
      rows = (await this.#script("cohortDocLoadBuffer", ref, -1)) as Buffer[];
    }
    const doc = new Y.Doc({ gc: true });
    const [snap, , ver, ...updates] = rows as [Buffer, Buffer, Buffer, ...Buffer[]];
    Y.applyUpdate(doc, snap);
    for (const u of updates) Y.applyUpdate(doc, u);
    return { doc, ver: Number(ver.toString()) };
  }

  async #catchUp(ref: DocRef, entry: Entry): Promise<void> {
    const rows = (await this.#script("cohortDocLoadBuffer", ref, entry.ver)) as Buffer[];
    if (rows.length === 0) {
      this.#cache.delete(this.#cacheKey(ref)); // dropped elsewhere (file deleted)
      return;
    }
    const [snap, , ver, ...updates] = rows as [Buffer, Buffer, Buffer, ...Buffer[]];
    // After a compaction past our version the snapshot comes too; applying it is idempotent.
    if (snap.length > 0) Y.applyUpdate(entry.doc, snap);
    for (const u of updates) Y.applyUpdate(entry.doc, u);
    entry.ver = Number(ver.toString());
  }

  async #compact(ref: DocRef, entry: Entry): Promise<void> {
    const snapshot = Buffer.from(Y.encodeStateAsUpdate(entry.doc));
    await this.#script("cohortDocCompact", ref, entry.ver, snapshot);
  }

  #serial<T>(ref: DocRef, work: () => Promise<T>): Promise<T> {
    const key = this.#cacheKey(ref);
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return next;
  }

  #script(name: string, ref: DocRef, ...args: (string | number | Buffer)[]): Promise<unknown> {
    return this.#call(name, this.#keys(ref), args);
  }

  /** A command defined in the constructor (`…Buffer` for its variant with Buffer replies). */
  #call(name: string, keys: string[], args: (string | number | Buffer)[]): Promise<unknown> {
    const command = (this.#redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name];
    return command!.call(this.#redis, ...keys, ...args);
  }

  #cacheKey(ref: DocRef): string {
    return `${ref.tag}:${ref.fileId}`;
  }

  #keys(ref: DocRef): [string, string] {
    return docKeys(this.#prefix, ref);
  }
}

/**
 * A document's keys: its state and its pending updates. They share the project's hash tag, so the
 * project's Lua scripts (packages/storage) can drop them with the file, also on Redis Cluster.
 */
export function docKeys(prefix: string, ref: DocRef): [state: string, updates: string] {
  return [`${prefix}${ref.tag}:doc:${ref.fileId}`, `${prefix}${ref.tag}:docu:${ref.fileId}`];
}
