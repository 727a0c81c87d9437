import { backupWorkerLockKey } from "./keys.js";
import { withLock } from "./lock.js";
import type { ProjectFiles } from "./project-files.js";
import type { RedisClient } from "./redis/redis-client.js";
import type { ProjectRef } from "./tree-entry.js";

export interface BackupWorkerOptions {
  redis: RedisClient;
  files: ProjectFiles;
  /**
   * Projects to look at on each run.
   * @default every project loaded in Redis under the store's prefix (SCAN)
   */
  listCandidates?: () => Promise<ProjectRef[]>;
  /**
   * Time between runs (`BACKUP_INTERVAL_MS`).
   * @default 60_000
   */
  intervalMs?: number;
  /**
   * A project with no change and no ping for this long is backed up and evicted (`BACKUP_IDLE_MS`).
   * @default 600_000
   */
  idleMs?: number;
  /**
   * Lifetime of the lock that lets one instance run at a time; renewed while a run lasts.
   * @default 120_000
   */
  lockTtlMs?: number;
  /**
   * A project still in use is backed up (not evicted) when it changed since its last backup and
   * that backup is this old, since Redis keeps nothing on disk. 0 turns this off.
   * @default 600_000
   */
  activeBackupMs?: number;
  /**
   * Wait before retrying a project whose backup failed; doubles per failure.
   * @default 30_000
   */
  retryDelayMs?: number;
  /** @default 3_600_000 */
  maxRetryDelayMs?: number;
  /** Told about each failed project (to log it); the worker itself carries on. */
  onError?: (error: unknown, ref: ProjectRef) => void;
}

export interface BackupRunReport {
  /** False when another instance holds the lock. */
  ran: boolean;
  evicted: number;
  /** Backed up but kept: changed during the backup, or still in use (periodic backup). */
  backedUp: number;
  failed: number;
  /** Skipped while waiting to retry after a failure. */
  deferred: number;
}

interface Failure {
  count: number;
  retryAt: number;
}

/**
 * Backs up idle projects and evicts them from Redis, on an interval, on one instance at a time.
 * A project whose backup fails is never evicted; it is retried with exponential backoff.
 */
export class BackupWorker {
  private readonly options: Required<Omit<BackupWorkerOptions, "onError">> & Pick<BackupWorkerOptions, "onError">;
  private readonly failures = new Map<string, Failure>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<BackupRunReport> | undefined;
  private stopped = true;
  /** Set by stop() so a run in progress ends after the project it is on. */
  private abortRun = false;

  constructor(options: BackupWorkerOptions) {
    const { files } = options;
    this.options = {
      listCandidates: () => files.store.listLoaded(),
      intervalMs: 60_000,
      idleMs: 600_000,
      lockTtlMs: 120_000,
      activeBackupMs: 600_000,
      retryDelayMs: 30_000,
      maxRetryDelayMs: 3_600_000,
      ...options,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abortRun = true;
    try {
      await this.running?.catch(() => {});
    } finally {
      this.abortRun = false;
    }
  }

  /** One pass over the candidates, if this instance gets the lock. Runs never overlap. */
  runOnce(): Promise<BackupRunReport> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runOnce()
        .catch(() => {})
        .finally(() => this.schedule());
    }, this.options.intervalMs);
    // The worker alone must not keep the process alive.
    this.timer.unref();
  }

  private async run(): Promise<BackupRunReport> {
    const { redis, files, lockTtlMs } = this.options;
    const report: BackupRunReport = { ran: true, evicted: 0, backedUp: 0, failed: 0, deferred: 0 };
    const attempt = await withLock(redis, backupWorkerLockKey(files.store.prefix), { ttlMs: lockTtlMs }, async () => {
      for (const ref of await this.options.listCandidates()) {
        if (this.abortRun) break;
        await this.visit(ref, report);
      }
    });
    return attempt.acquired ? report : { ...report, ran: false };
  }

  private async visit(ref: ProjectRef, report: BackupRunReport): Promise<void> {
    const { files, idleMs, activeBackupMs } = this.options;
    const id = `${ref.lessonId}:${ref.ownerId}`;
    const failure = this.failures.get(id);
    if (failure && failure.retryAt > Date.now()) {
      report.deferred++;
      return;
    }
    try {
      const result = await files.backupAndEvictIfIdle(ref, { idleMs });
      if (result.status === "evicted") report.evicted++;
      else if (result.status === "kept") report.backedUp++;
      else if (result.status === "active" && activeBackupMs > 0) {
        const activity = await files.store.activity(ref);
        const stale = activity !== null && activity.version !== activity.backupVersion && (activity.backupAgeMs ?? Infinity) >= activeBackupMs;
        if (stale) {
          await files.backup(ref);
          report.backedUp++;
        }
      }
      this.failures.delete(id);
    } catch (error) {
      report.failed++;
      const count = (failure?.count ?? 0) + 1;
      const delay = Math.min(this.options.retryDelayMs * 2 ** (count - 1), this.options.maxRetryDelayMs);
      this.failures.set(id, { count, retryAt: Date.now() + delay });
      this.options.onError?.(error, ref);
    }
  }
}
