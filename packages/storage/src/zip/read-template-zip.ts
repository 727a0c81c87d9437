import type { Readable } from "node:stream";
import unzipper from "unzipper";
import { readAll } from "../blob/read-all.js";
import { isStorageError, templateInvalid } from "../errors.js";
import { completeTree } from "../paths/complete-tree.js";
import { withoutUndefined } from "../storage-limits.js";
import type { TreeEntry } from "../tree-entry.js";
import { mapLimit } from "../util/map-limit.js";
import { findEndOfCentralDirectory } from "./find-end-of-central-directory.js";
import { inflateEntry } from "./inflate-entry.js";
import { normalizeZipName } from "./normalize-zip-name.js";

export interface TemplateZipLimits {
  /**
   * Entries: the archive's records plus the directories they imply.
   * @default 5000
   */
  maxEntries?: number;
  /**
   * Uncompressed bytes of all files together (the project limit); counted while inflating.
   * @default 52_428_800 (50 MiB)
   */
  maxTotalBytes?: number;
  /**
   * Uncompressed bytes of one file.
   * @default 10_485_760 (10 MiB)
   */
  maxFileBytes?: number;
  /** @default 1024 */
  maxPathBytes?: number;
  /** @default 255 */
  maxSegmentBytes?: number;
  /**
   * The compressed archive, which is held in memory while it is read.
   * @default maxTotalBytes + 4 KiB per allowed entry (room for headers)
   */
  maxArchiveBytes?: number;
}

export const templateZipLimitDefaults = {
  maxEntries: 5000,
  maxTotalBytes: 50 * 1024 * 1024,
  maxFileBytes: 10 * 1024 * 1024,
  maxPathBytes: 1024,
  maxSegmentBytes: 255,
} as const;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const STORED = 0;
const DEFLATED = 8;
// zlib's thread pool has four threads.
const INFLATE_CONCURRENCY = 4;

type CentralDirectory = Awaited<ReturnType<typeof unzipper.Open.buffer>>;
type ZipRecord = CentralDirectory["files"][number];
// unzipper accepts a tailSize option that its typings omit.
const openBuffer = unzipper.Open.buffer as (archive: Buffer, options: { tailSize: number }) => Promise<CentralDirectory>;

/**
 * Reads a template (or backup) zip into a project tree, refusing anything hostile before a
 * single file is inflated where the central directory already tells (names, symlinks, counts,
 * declared sizes), and counting real bytes while inflating, since declared sizes can lie.
 * Binary content is kept byte-exact (CRC-checked), names must be UTF-8, empty directories kept.
 *
 * The compressed archive is held in memory (capped by `maxArchiveBytes`): only the central
 * directory at its end says which entries are symlinks, so it must be read before any entry.
 * @throws StorageError `TEMPLATE_INVALID` with a `reason`
 */
export async function readTemplateZip(source: Readable | Buffer, limits: TemplateZipLimits = {}): Promise<TreeEntry[]> {
  const resolved = { ...templateZipLimitDefaults, ...withoutUndefined(limits) };
  const maxArchiveBytes = resolved.maxArchiveBytes ?? resolved.maxTotalBytes + resolved.maxEntries * 4096;
  const archive = Buffer.isBuffer(source) ? source : await readAll(source, maxArchiveBytes);
  if (archive === null || archive.length > maxArchiveBytes) {
    throw templateInvalid("ARCHIVE_TOO_LARGE", `The archive is larger than ${maxArchiveBytes} bytes`);
  }
  const end = findEndOfCentralDirectory(archive);
  if (end === null) throw templateInvalid("CORRUPT", "Not a zip archive (no end of central directory)");
  if (end.entryCount !== 0xffff && end.entryCount > resolved.maxEntries) throw tooMany(end.entryCount, resolved.maxEntries);

  const directory = await openBuffer(archive, { tailSize: archive.length - end.offset }).catch((error: unknown) => {
    throw templateInvalid("CORRUPT", "The archive's central directory is damaged", error);
  });
  if (directory.files.length > resolved.maxEntries) throw tooMany(directory.files.length, resolved.maxEntries);

  // Pass 1: everything the central directory can tell, before inflating anything.
  const planned: { record: ZipRecord; path: string; isDirectory: boolean }[] = [];
  let declaredTotal = 0;
  for (const record of directory.files) {
    const name = normalizeZipName(record.pathBuffer, { maxBytes: resolved.maxPathBytes, maxSegmentBytes: resolved.maxSegmentBytes });
    const fileType = ((record.externalFileAttributes >>> 16) & S_IFMT) >>> 0;
    const label = JSON.stringify(record.path);
    if (fileType === S_IFLNK) throw templateInvalid("SYMLINK", `Entry ${label} is a symbolic link`);
    if (fileType !== 0 && fileType !== S_IFREG && fileType !== S_IFDIR) {
      throw templateInvalid("UNSUPPORTED", `Entry ${label} is a device, FIFO or socket`);
    }
    if (name === null) continue;
    const isDirectory = name.isDirectory || fileType === S_IFDIR;
    if (!isDirectory) {
      if (record.flags & 0x1) throw templateInvalid("UNSUPPORTED", `Entry ${label} is encrypted`);
      if (record.compressionMethod !== STORED && record.compressionMethod !== DEFLATED) {
        throw templateInvalid("UNSUPPORTED", `Entry ${label} uses compression method ${record.compressionMethod}`);
      }
      declaredTotal += record.uncompressedSize;
      if (declaredTotal > resolved.maxTotalBytes) throw bomb(resolved.maxTotalBytes);
      if (record.uncompressedSize > resolved.maxFileBytes) {
        throw templateInvalid("FILE_TOO_LARGE", `Entry ${label} is larger than ${resolved.maxFileBytes} bytes`);
      }
    }
    planned.push({ record, path: name.path, isDirectory });
  }
  const shape = checkShape(planned.map(({ path, isDirectory }) => ({ path, type: isDirectory ? "directory" : "file" })));
  if (shape.length > resolved.maxEntries) throw tooMany(shape.length, resolved.maxEntries);

  // Pass 2: inflate, a few entries at a time, none past its declared size (whose sum is within
  // the total limit, checked above).
  const files = planned.filter(({ isDirectory }) => !isDirectory);
  const inflated = await mapLimit(files, INFLATE_CONCURRENCY, ({ record }) => inflateEntry(archive, record));
  const contents = new Map(files.map(({ path }, i) => [path, inflated[i] as Buffer]));
  return shape.map((entry) => (entry.type === "file" ? { ...entry, content: contents.get(entry.path) ?? Buffer.alloc(0) } : entry));
}

/** Adds implied parents; refuses a path listed twice or used as both a file and a directory. */
function checkShape(entries: TreeEntry[]): TreeEntry[] {
  try {
    return completeTree(entries);
  } catch (error) {
    if (!isStorageError(error)) throw error;
    throw templateInvalid("DUPLICATE_ENTRY", error.message, error);
  }
}

function tooMany(count: number, max: number) {
  return templateInvalid("TOO_MANY_ENTRIES", `The archive has ${count} entries; at most ${max} are allowed`);
}

function bomb(maxTotalBytes: number) {
  return templateInvalid("ZIP_BOMB", `The archive unpacks to more than ${maxTotalBytes} bytes`);
}
