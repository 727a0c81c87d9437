import type { Db } from "@cohort/db";
import type { AccessCache } from "./domain/access-cache.js";
import type { CursorCoalescer } from "./domain/cursor-coalescer.js";
import type { RateLimiter } from "./domain/rate-limiter.js";
import type { ParticipantQuota } from "./domain/participant-quota.js";
import type { SubscriptionCap } from "./domain/subscription-cap.js";
import type { QnaLimits } from "./domain/qna/qna-limits.js";
import type { ReadManyLimits } from "./domain/read-many-limits.js";
import type { CallObserver, DocsPort, EventLogPort, FilesPort, Logger, PresencePort, ProjectsPort, SubscriptionChannel } from "./ports.js";
import type { BlobStore } from "@cohort/storage";
import type { Launchers, MonitorPort } from "./ports.js";
import type { LoadTestSettings } from "./domain/loadtest/settings.js";

/**
 * Who is calling. Admins hold the admin key. A load-test tester process holds its test's token
 * (`tester`); its virtual clients act as that test's tester accounts, which are ordinary users.
 */
export type Principal = { kind: "user"; userId: number } | { kind: "admin" } | { kind: "tester"; testId: number };

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
  /** Live subscriptions allowed per connection; absent means unlimited. */
  subscriptionCap?: SubscriptionCap;
  /** Mutation rate limits; absent means unlimited. */
  rateLimiter?: RateLimiter;
  /** The per-participant mutation limit shared by every instance (RateLimiter's is per instance). */
  participantQuota?: ParticipantQuota;
  /** The same for `cursor.move`, a budget of its own: cursors are the most frequent calls. */
  participantCursorQuota?: ParticipantQuota;
  /** Per-instance latest-wins throttle of cursor events. */
  cursors: CursorCoalescer<() => void>;
  /** Told when files move or go, so Q&A references can follow. */
  onRenamed?: (change: { lessonId: number; ownerId: number; path: string; newPath: string }) => Promise<void>;
  onDeleted?: (change: { lessonId: number; ownerId: number; path: string }) => Promise<void>;
  /** Live traffic sampling for admins (monitor.watch); absent means nobody pays for it. */
  monitor?: MonitorPort;
  /** Blob store (load-test reports); absent where no procedure needs it. */
  blobs?: BlobStore;
  /** Where load-test testers can be started; a kind missing here is refused by loadtest.create. */
  launchers?: Launchers;
  /** Load-test timings; each missing one takes its default (`loadTestSettingsDefaults`). */
  loadtest?: Partial<LoadTestSettings>;
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
  /**
   * The direct channel of a subscription request, found by the request's raw input; absent over
   * HTTP and in direct calls, where subscriptions go through tRPC's loop alone.
   */
  subscriptionChannel?: ((rawInput: unknown) => SubscriptionChannel | undefined) | undefined;
}

export interface Limits {
  maxPathBytes: number;
  maxFileBytes: number;
  maxUpdateBytes: number;
  /** Cursor events of one connection and file are coalesced to one per this interval (latest wins). */
  cursorIntervalMs: number;
  /** Q&A limits; each missing one takes its default (`qnaLimitDefaults`). */
  qna?: Partial<QnaLimits> | undefined;
  /** `files.readMany` page bounds; each missing one takes its default (`readManyLimitDefaults`). */
  readMany?: Partial<ReadManyLimits> | undefined;
}
