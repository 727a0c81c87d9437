import path from "node:path";
import type { Db } from "@cohort/db";
import { BackupWorker, LocalBlobStore, ProjectFiles, RedisFileStore, S3BlobStore, type BlobStore } from "@cohort/storage";
import type { Cluster, Redis } from "ioredis";
import type { ServerEnv } from "./env.js";

/** Blob store from the environment: S3 (any compatible endpoint) when a bucket is set, else a folder. */
export function createBlobStore(env: ServerEnv): BlobStore {
  if (env.S3_BUCKET) {
    return new S3BlobStore({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      credentials:
        env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
          : undefined,
    });
  }
  return new LocalBlobStore({ dir: path.resolve(env.BLOB_DIR) });
}

/** Project files in Redis over the blob store, loaded from templates and backups on demand. */
export function createProjectFiles({ env, redis, db, blobs }: { env: ServerEnv; redis: Redis | Cluster; db: Db; blobs: BlobStore }) {
  const store = new RedisFileStore({
    redis,
    blobs,
    prefix: env.REDIS_KEY_PREFIX,
    maxInlineBytes: env.MAX_INLINE_FILE_BYTES,
    maxFileBytes: env.MAX_FILE_BYTES,
    maxProjectBytes: env.MAX_PROJECT_BYTES,
    maxFiles: env.MAX_PROJECT_FILES,
    maxPathBytes: env.MAX_PATH_BYTES,
    maxSegmentBytes: env.MAX_PATH_SEGMENT_BYTES,
  });
  const files = new ProjectFiles({
    store,
    blobs,
    backupVersions: env.BACKUP_VERSIONS,
    maxTemplateEntries: env.MAX_TEMPLATE_ENTRIES,
    templateCacheTtlMs: env.TEMPLATE_CACHE_TTL_MS,
    templateKeyOf: async ({ lessonId }) => (await db.lesson.findUnique({ where: { id: lessonId }, select: { templateKey: true } }))?.templateKey,
  });
  const backups = new BackupWorker({ redis, files, intervalMs: env.BACKUP_INTERVAL_MS, idleMs: env.BACKUP_IDLE_MS });
  return { store, files, backups };
}
