import { createHash } from "node:crypto";
import type { ProjectRef } from "./tree-entry.js";

/**
 * The hash tag every Redis key of one project carries, so that multi-key Lua scripts and
 * transactions on them also run on Redis Cluster (all keys land in one slot).
 */
export function projectTag({ lessonId, ownerId }: ProjectRef): string {
  return `{l:${lessonId}:p:${ownerId}}`;
}

export interface ProjectKeys {
  /** Hash: path -> JSON `{ id, type, size, mtime, blob? }`. */
  entries: string;
  /** Hash: file id -> bytes of a file kept inline. */
  contents: string;
  /** Hash: version, totalSize, entryCount, nextId, changedAt, touchedAt, createdAt, backupVersion, backupAt. */
  meta: string;
  /** Hash: `<viewerId>:<path>` -> JSON cursor. */
  cursors: string;
  /** String: token of the instance loading the project (restore or template), with a TTL. */
  loadLock: string;
}

export function projectKeys(prefix: string, ref: ProjectRef): ProjectKeys {
  const base = `${prefix}${projectTag(ref)}:`;
  return {
    entries: `${base}entries`,
    contents: `${base}contents`,
    meta: `${base}meta`,
    cursors: `${base}cursors`,
    loadLock: `${base}load-lock`,
  };
}

/** The keys every project Lua script receives, in the order the scripts expect. */
export function scriptKeys(keys: ProjectKeys): string[] {
  return [keys.entries, keys.contents, keys.meta, keys.cursors];
}

/** Glob matching the meta key of every project under `prefix` (for SCAN). */
export function projectMetaPattern(prefix: string): string {
  return `${escapeGlob(prefix)}{l:*:p:*}:meta`;
}

const META_KEY = /^\{l:(\d+):p:(\d+)\}:meta$/;

/** Parses a meta key with the prefix already removed. */
export function parseProjectMetaKey(key: string): ProjectRef | null {
  const match = META_KEY.exec(key);
  return match ? { lessonId: Number(match[1]), ownerId: Number(match[2]) } : null;
}

/** Blob key of one stored version of a large file (unique, so a replaced file never tears). */
export function fileBlobKey({ lessonId, ownerId }: ProjectRef, unique: string): string {
  return `projects/l${lessonId}/p${ownerId}/files/${unique}`;
}

export function backupPrefix({ lessonId, ownerId }: ProjectRef): string {
  return `backups/l${lessonId}/p${ownerId}/`;
}

/**
 * `backups/l12/p34/20261129T050312123Z-v42.zip`: keys sort by time, and the version of the
 * snapshot can be read back without opening the zip.
 */
export function backupKey(ref: ProjectRef, at: Date, version: number): string {
  const stamp = at.toISOString().replace(/[-:.]/g, "");
  return `${backupPrefix(ref)}${stamp}-v${version}.zip`;
}

const BACKUP_NAME = /\/(\d{8}T\d{9}Z)-v(\d+)\.zip$/;

export function parseBackupKey(key: string): { at: Date; version: number } | null {
  const match = BACKUP_NAME.exec(key);
  if (!match?.[1] || !match[2]) return null;
  const s = match[1];
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
  return { at: new Date(iso), version: Number(match[2]) };
}

/**
 * Where an unpacked template is cached. The blob's checksum (or size and date) is part of the
 * key, so replacing a template zip under the same key never serves the old files.
 */
export function templateCacheKey(prefix: string, templateKey: string, fingerprint: string): string {
  const id = createHash("sha1").update(templateKey).digest("hex");
  return `${prefix}template:${id}:${fingerprint}`;
}

export function backupWorkerLockKey(prefix: string): string {
  return `${prefix}backup-worker:lock`;
}

/** A key prefix must not open a hash tag of its own, or project keys would scatter over slots. */
export function assertKeyPrefix(prefix: string): void {
  if (prefix.includes("{") || prefix.includes("}")) {
    throw new TypeError(`Redis key prefix must not contain { or }: ${prefix}`);
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
