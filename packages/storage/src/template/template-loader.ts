import type { BlobHead, BlobStore } from "../blob/blob-store.js";
import { StorageError, isStorageError } from "../errors.js";
import { templateCacheKey } from "../keys.js";
import { pollUntil, withLock } from "../lock.js";
import type { RedisClient } from "../redis/redis-client.js";
import type { TreeEntry } from "../tree-entry.js";
import { readTemplateZip, type TemplateZipLimits } from "../zip/read-template-zip.js";
import { blobZipSource } from "../zip/zip-source.js";
import { RecentTemplates } from "./recent-templates.js";
import { decodeTree, encodeRefusal, encodeTree } from "./tree-codec.js";

export interface TemplateLoaderOptions {
  redis: RedisClient;
  blobs: BlobStore;
  /** Redis key prefix. */
  prefix: string;
  limits: TemplateZipLimits;
  /**
   * How long an unpacked template (or its refusal) stays cached in Redis.
   * @default 600_000 (10 min)
   */
  cacheTtlMs?: number;
  /**
   * Lock held by the one instance that unpacks a template; waiters give up after twice this.
   * @default 60_000
   */
  lockTtlMs?: number;
  /**
   * Time between checks while another instance unpacks.
   * @default 25
   */
  pollMs?: number;
  /**
   * Unpacked templates also kept in this process, so that a class joining at once does not fetch
   * and decode the same template from Redis once per student. `0` keeps none.
   * @default 67_108_864 (64 MiB)
   */
  memoryCacheBytes?: number;
}

/**
 * Unpacks a lesson's template zip once for everyone: the result is cached in Redis (under a key
 * that includes the zip's checksum) with a TTL, one instance unpacks under a lock while the others
 * wait for the cache, and callers in one process share a single fetch (and keep recent templates).
 */
export class TemplateLoader {
  private readonly inflight = new Map<string, Promise<TreeEntry[]>>();
  private readonly heads = new Map<string, Promise<BlobHead | null>>();
  private readonly recent: RecentTemplates;
  private readonly cacheTtlMs: number;
  private readonly lockTtlMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: TemplateLoaderOptions) {
    this.cacheTtlMs = options.cacheTtlMs ?? 600_000;
    this.lockTtlMs = options.lockTtlMs ?? 60_000;
    this.pollMs = options.pollMs ?? 25;
    this.recent = new RecentTemplates(options.memoryCacheBytes ?? 64 * 1024 * 1024, this.cacheTtlMs);
  }

  /**
   * @throws StorageError `TEMPLATE_NOT_FOUND` (no template under the key), `TEMPLATE_INVALID`
   */
  async load(templateKey: string): Promise<TreeEntry[]> {
    const head = await this.headOf(templateKey);
    if (head === null) throw templateNotFound(templateKey);
    const fingerprint = head.sha256 ?? `${head.size}-${head.lastModified.getTime()}`;
    const cacheKey = templateCacheKey(this.options.prefix, templateKey, fingerprint);
    const recent = this.recent.get(cacheKey);
    if (recent !== undefined) return recent;
    return joinInFlight(this.inflight, cacheKey, async () => {
      const entries = await this.loadShared(templateKey, cacheKey);
      this.recent.set(cacheKey, entries);
      return entries;
    });
  }

  /**
   * The zip's HEAD, shared by the loads of one key that overlap it: a class joining at once asks
   * the blob store a few times instead of once per student. A load that starts after the answer
   * asks again, so a template replaced under the same key reaches every later join.
   */
  private headOf(templateKey: string): Promise<BlobHead | null> {
    return joinInFlight(this.heads, templateKey, () => this.options.blobs.head(templateKey));
  }

  private loadShared(templateKey: string, cacheKey: string): Promise<TreeEntry[]> {
    const { redis } = this.options;
    return pollUntil(
      async () => {
        const cached = await redis.getBuffer(cacheKey);
        if (cached !== null) return decodeTree(cached);
        const attempt = await withLock(redis, `${cacheKey}:lock`, { ttlMs: this.lockTtlMs }, async () => {
          // The previous holder may have filled the cache between our read and our lock.
          const again = await redis.getBuffer(cacheKey);
          if (again !== null) return again;
          const encoded = await this.unpack(templateKey);
          await redis.set(cacheKey, encoded, "PX", this.cacheTtlMs);
          return encoded;
        });
        return attempt.acquired ? decodeTree(attempt.value) : undefined;
      },
      { timeoutMs: this.lockTtlMs * 2, pollMs: this.pollMs, what: `template ${templateKey} to be unpacked` },
    );
  }

  private async unpack(templateKey: string): Promise<Buffer> {
    try {
      const head = await this.headOf(templateKey);
      if (head === null) throw new StorageError("BLOB_NOT_FOUND", `Template ${templateKey} does not exist`);
      return encodeTree(await readTemplateZip(blobZipSource(this.options.blobs, templateKey, head.size), this.options.limits));
    } catch (error) {
      if (isStorageError(error, "TEMPLATE_INVALID")) return encodeRefusal(error);
      // Deleted between the head above and this read.
      if (isStorageError(error, "BLOB_NOT_FOUND")) throw templateNotFound(templateKey, error);
      throw error;
    }
  }
}

function templateNotFound(templateKey: string, cause?: unknown): StorageError {
  return new StorageError("TEMPLATE_NOT_FOUND", `The lesson's template ${templateKey} does not exist`, { cause });
}

/** The call under way for `key` if there is one, else `start()`'s, shared until it settles. */
function joinInFlight<T>(inflight: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  let pending = inflight.get(key);
  if (pending === undefined) {
    pending = start().finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}
