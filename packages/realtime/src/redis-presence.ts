import { KeyedSerialQueue } from "./keyed-serial-queue.js";
import { isResetItem } from "./log-item.js";
import type { LuaScript } from "./lua/lua-script.js";
import { joinScript, leaveScript, onlineScript, snapshotScript, sweepScript } from "./lua/presence-scripts.js";
import { assertId, connectionMember, connectionsKey, presenceTopic } from "./presence-keys.js";
import { resolvePresenceOptions, type RedisPresenceOptions, type ResolvedPresenceOptions } from "./presence-options.js";

export type PresenceChange = { type: "online" | "offline"; participantId: number };
export type PresenceSnapshot = { type: "snapshot"; online: number[] };
export type PresenceEvent = PresenceSnapshot | PresenceChange;
export interface PresenceItem {
  id: string;
  event: PresenceEvent;
}

/**
 * Who is online in a lesson, across server instances. Each open tab is one connection in a
 * per-lesson sorted set, scored by its expiry; the instance holding it refreshes it with
 * heartbeats, and any instance sweeps expired ones, so the clients of a crashed instance go
 * offline by themselves. Changes are appended to the lesson's presence log in the same Lua
 * script that makes them.
 */
export class RedisPresence {
  readonly #options: ResolvedPresenceOptions;
  /** lessonId → connection members this instance holds. */
  readonly #connections = new Map<number, Set<string>>();
  /** lessonId → number of local watchers; watched lessons are swept too. */
  readonly #watched = new Map<number, number>();
  readonly #queue = new KeyedSerialQueue<number>();
  #timers: NodeJS.Timeout[] = [];
  #heartbeating = false;
  #sweeping = false;

  constructor(options: RedisPresenceOptions) {
    this.#options = resolvePresenceOptions(options);
  }

  /** Registers one live connection (a tab); logs "online" if it is the participant's first. */
  async join(lessonId: number, participantId: number, connectionId: string): Promise<void> {
    const member = this.#member(lessonId, participantId, connectionId);
    let members = this.#connections.get(lessonId);
    if (!members) this.#connections.set(lessonId, (members = new Set()));
    const known = members.has(member);
    members.add(member);
    try {
      await this.#queue.run(lessonId, () => this.#refresh(lessonId, [member]));
    } catch (error) {
      if (!known) this.#forget(lessonId, member);
      throw error;
    }
  }

  /** Removes a connection; logs "offline" if it was the participant's last one anywhere. */
  async leave(lessonId: number, participantId: number, connectionId: string): Promise<void> {
    const member = this.#member(lessonId, participantId, connectionId);
    this.#forget(lessonId, member);
    await this.#queue.run(lessonId, () => this.#run(leaveScript, lessonId, [member]));
  }

  /** Participants with at least one unexpired connection, ascending. */
  async online(lessonId: number): Promise<number[]> {
    assertId("lessonId", lessonId);
    const key = connectionsKey(this.#options.prefix, lessonId);
    return toIds(await onlineScript.run(this.#options.redis, [key], []));
  }

  /**
   * Yields a snapshot of who is online, then every change. The snapshot is taken after the log
   * subscription is established, so no change falls between the two; a change already in the
   * snapshot may be repeated (an "online" for someone listed, an "offline" for someone not),
   * never skipped, so clients apply changes as set operations. If the log ever resets, a fresh
   * snapshot is yielded in its place. End it with the signal (or `return()` between items).
   */
  async *watch(lessonId: number, { signal }: { signal?: AbortSignal | undefined } = {}): AsyncGenerator<PresenceItem, void, undefined> {
    assertId("lessonId", lessonId);
    const subscription = this.#options.log.subscribe<PresenceChange>(presenceTopic(lessonId), { signal });
    this.#watched.set(lessonId, (this.#watched.get(lessonId) ?? 0) + 1);
    try {
      await subscription.ready();
      if (subscription.cursor === undefined) return; // aborted before it started
      yield { id: subscription.cursor, event: await this.#snapshot(lessonId) };
      for await (const item of subscription) {
        yield isResetItem(item) ? { id: item.id, event: await this.#snapshot(lessonId) } : item;
      }
    } finally {
      const watchers = (this.#watched.get(lessonId) ?? 1) - 1;
      if (watchers > 0) this.#watched.set(lessonId, watchers);
      else this.#watched.delete(lessonId);
      await subscription.return();
    }
  }

  /** Starts heartbeats and sweeps. */
  start(): void {
    if (this.#timers.length > 0) return;
    const { heartbeatMs, sweepMs } = this.#options;
    this.#timers = [setInterval(() => void this.heartbeat(), heartbeatMs), setInterval(() => void this.sweep(), sweepMs)];
    for (const timer of this.#timers) timer.unref();
  }

  /**
   * Stops heartbeats and sweeps. With `graceful`, also removes this instance's connections
   * (logging offline where due); without it, they stay until they expire, as after a crash.
   */
  async stop({ graceful = false }: { graceful?: boolean } = {}): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    if (!graceful) return;
    const held = [...this.#connections];
    this.#connections.clear();
    await Promise.all(
      held.map(([lessonId, members]) => this.#queue.run(lessonId, () => this.#run(leaveScript, lessonId, [...members]))),
    );
  }

  /** Refreshes every connection this instance holds: one script call per lesson. */
  async heartbeat(): Promise<void> {
    if (this.#heartbeating) return;
    this.#heartbeating = true;
    try {
      await this.#forEachLesson([...this.#connections.keys()], (lessonId) => {
        // Read when the task runs, so a connection that left meanwhile is not revived.
        const members = this.#connections.get(lessonId);
        return members && members.size > 0 ? this.#refresh(lessonId, [...members]) : Promise.resolve();
      });
    } finally {
      this.#heartbeating = false;
    }
  }

  /** Removes expired connections of the lessons this instance serves or watches. */
  async sweep(): Promise<void> {
    if (this.#sweeping) return;
    this.#sweeping = true;
    try {
      const lessons = new Set([...this.#connections.keys(), ...this.#watched.keys()]);
      await this.#forEachLesson([...lessons], (lessonId) => this.#run(sweepScript, lessonId, []));
    } finally {
      this.#sweeping = false;
    }
  }

  async #forEachLesson(lessonIds: number[], task: (lessonId: number) => Promise<unknown>): Promise<void> {
    const results = await Promise.allSettled(lessonIds.map((lessonId) => this.#queue.run(lessonId, () => task(lessonId))));
    for (const result of results) if (result.status === "rejected") this.#options.onError(result.reason);
  }

  async #snapshot(lessonId: number): Promise<PresenceSnapshot> {
    return { type: "snapshot", online: toIds(await this.#run(snapshotScript, lessonId, [])) };
  }

  #refresh(lessonId: number, members: string[]): Promise<unknown> {
    const { ttlMs, keyTtlMs } = this.#options;
    return this.#run(joinScript, lessonId, [ttlMs, keyTtlMs, ...members]);
  }

  #run(script: LuaScript, lessonId: number, args: (string | number)[]): Promise<unknown> {
    const { redis, log, prefix } = this.#options;
    const target = log.appendTarget(presenceTopic(lessonId));
    return script.run(redis, [connectionsKey(prefix, lessonId), target.key], [target.channel, target.maxLen, target.maxAgeMs, ...args]);
  }

  #member(lessonId: number, participantId: number, connectionId: string): string {
    assertId("lessonId", lessonId);
    assertId("participantId", participantId);
    if (typeof connectionId !== "string" || connectionId === "") throw new TypeError("connectionId must be a non-empty string");
    return connectionMember({ participantId, instanceId: this.#options.instanceId, connectionId });
  }

  #forget(lessonId: number, member: string): void {
    const members = this.#connections.get(lessonId);
    members?.delete(member);
    if (members?.size === 0) this.#connections.delete(lessonId);
  }
}

function toIds(reply: unknown): number[] {
  return (reply as string[]).map(Number).sort((a, b) => a - b);
}
