import { Readable } from "node:stream";
import unzipper from "unzipper";
import { readAll } from "../blob/read-all.js";
import { isStorageError, templateInvalid } from "../errors.js";
import { completeTree } from "../paths/complete-tree.js";
import { withoutUndefined } from "../storage-limits.js";
import type { TreeEntry } from "../tree-entry.js";
import { findEndOfCentralDirectory } from "./find-end-of-central-directory.js";
import { declaresTooLittle, inflateEntry } from "./inflate-entry.js";
import { normalizeZipName } from "./normalize-zip-name.js";
import { SequentialReader } from "./sequential-reader.js";
import { DEFLATED, LOCAL_HEADER_BYTES, LOCAL_HEADER_SIGNATURE, MAX_TAIL_BYTES, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, STORED, ZLIB_CONCURRENCY } from "./zip-format.js";
import { bufferZipSource, unzipperSource, withTail, type ZipSource } from "./zip-source.js";

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
   * The compressed archive (held in memory only when given as a stream without ranges).
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


type CentralDirectory = Awaited<ReturnType<typeof unzipper.Open.buffer>>;
type ZipRecord = CentralDirectory["files"][number];
// unzipper accepts a tailSize option that its typings omit, and a source its typings call `Source`.
const openCustom = unzipper.Open.custom as unknown as (source: ReturnType<typeof unzipperSource>, options: { tailSize: number }) => Promise<CentralDirectory>;

/**
 * Reads a template (or backup) zip into a project tree, refusing anything hostile before a
 * single file is inflated where the central directory already tells (names, symlinks, counts,
 * declared sizes), and counting real bytes while inflating, since declared sizes can lie.
 * Binary content is kept byte-exact (CRC-checked), names must be UTF-8, empty directories kept.
 *
 * Only the central directory at the archive's end says which entries are symlinks, so it is read
 * first (a ranged read, through unzipper); then the entries are streamed front to back and each is
 * inflated as it arrives, so an archive in the blob store is never held whole. A plain stream has
 * no ranges and is read into memory first (capped by `maxArchiveBytes`).
 * @throws StorageError `TEMPLATE_INVALID` with a `reason`
 */
export async function readTemplateZip(input: ZipSource | Readable | Buffer, limits: TemplateZipLimits = {}): Promise<TreeEntry[]> {
  const resolved = { ...templateZipLimitDefaults, ...withoutUndefined(limits) };
  const maxArchiveBytes = resolved.maxArchiveBytes ?? resolved.maxTotalBytes + resolved.maxEntries * 4096;
  const source = await asSource(input, maxArchiveBytes);
  if (source === null || source.size > maxArchiveBytes) throw templateInvalid("ARCHIVE_TOO_LARGE", `The archive is larger than ${maxArchiveBytes} bytes`);
  const tailStart = Math.max(0, source.size - MAX_TAIL_BYTES);
  const tail = await readRange(source, tailStart, source.size);
  const end = findEndOfCentralDirectory(tail);
  if (end === null) throw templateInvalid("CORRUPT", "Not a zip archive (no end of central directory)");
  if (end.entryCount !== 0xffff && end.entryCount > resolved.maxEntries) throw tooMany(end.entryCount, resolved.maxEntries);
  const endOffset = tailStart + end.offset;

  const ranged = unzipperSource(withTail(source, tailStart, tail));
  const directory = await openCustom(ranged, { tailSize: source.size - endOffset }).catch((error: unknown) => {
    // The blob store failing is not the archive's fault.
    if (ranged.failure !== undefined) throw ranged.failure;
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
      checkCompressedSize(record, label);
    }
    planned.push({ record, path: name.path, isDirectory });
  }
  const shape = checkShape(planned.map(({ path, isDirectory }) => ({ path, type: isDirectory ? "directory" : "file" })));
  if (shape.length > resolved.maxEntries) throw tooMany(shape.length, resolved.maxEntries);

  // Pass 2: the files, in archive order, none inflated past its declared size (whose sum is
  // within the total limit, checked above).
  const files = planned.filter(({ isDirectory }) => !isDirectory).sort((a, b) => a.record.offsetToLocalFileHeader - b.record.offsetToLocalFileHeader);
  const contents = await inflateInOrder(source, files, endOffset);
  return shape.map((entry) => (entry.type === "file" ? { ...entry, content: contents.get(entry.path) ?? Buffer.alloc(0) } : entry));
}

async function asSource(input: ZipSource | Readable | Buffer, maxArchiveBytes: number): Promise<ZipSource | null> {
  if (Buffer.isBuffer(input)) return bufferZipSource(input);
  if (!(input instanceof Readable)) return input;
  const archive = await readAll(input, maxArchiveBytes);
  return archive === null ? null : bufferZipSource(archive as Buffer);
}

async function readRange(source: ZipSource, start: number, end: number): Promise<Buffer> {
  return ((await readAll(await source.read({ start, end }))) as Buffer | null) ?? Buffer.alloc(0);
}

/**
 * Deflate grows incompressible data by a few bytes per block at most, and a stored entry is its
 * own size: a larger compressed size is a lie that would make the reader buffer it.
 */
function checkCompressedSize(record: ZipRecord, label: string): void {
  if (record.compressionMethod === STORED) {
    if (record.compressedSize !== record.uncompressedSize) throw templateInvalid("CORRUPT", `Entry ${label} is stored but its two sizes differ`);
    return;
  }
  // More compressed bytes than the declared size could need: the declared size is too small.
  if (record.compressedSize > record.uncompressedSize + Math.ceil(record.uncompressedSize / 16_384) * 5 + 1024) {
    throw declaresTooLittle(label, record.uncompressedSize);
  }
}

/**
 * Streams the entries front to back and inflates each as it arrives, a few at a time. Entries
 * must not overlap: pointing two records at the same bytes is how a small archive claims to hold
 * more than it does.
 */
async function inflateInOrder(source: ZipSource, files: { record: ZipRecord; path: string }[], endOffset: number): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  if (files.length === 0) return contents;
  const first = files[0]!.record.offsetToLocalFileHeader;
  const reader = new SequentialReader(await source.read({ start: first, end: endOffset }), first);
  const running = new Set<Promise<void>>();
  let failure: unknown;
  try {
    for (const { record, path } of files) {
      const label = JSON.stringify(record.path);
      const data = await entryData(reader, record, label);
      const inflating = inflateEntry(data, record).then(
        (content) => void contents.set(path, content),
        (error: unknown) => void (failure ??= error),
      );
      running.add(inflating);
      void inflating.then(() => running.delete(inflating));
      if (failure !== undefined) break;
      if (running.size >= ZLIB_CONCURRENCY) await Promise.race(running);
    }
    await Promise.all(running);
  } finally {
    reader.close();
  }
  if (failure !== undefined) throw failure;
  return contents;
}

/** An entry's compressed bytes: after its local header, whose name and extra field lengths may differ from the central directory's. */
async function entryData(reader: SequentialReader, record: ZipRecord, label: string): Promise<Buffer> {
  const at = record.offsetToLocalFileHeader;
  if (at < reader.position) throw templateInvalid("CORRUPT", `Entry ${label} overlaps the entry before it`);
  try {
    await reader.skipTo(at);
    const header = await reader.take(LOCAL_HEADER_BYTES);
    if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw templateInvalid("CORRUPT", `Entry ${label} has no local header where the directory points`);
    await reader.skipTo(reader.position + header.readUInt16LE(26) + header.readUInt16LE(28));
    return await reader.take(record.compressedSize);
  } catch (error) {
    if (error instanceof RangeError) throw templateInvalid("CORRUPT", `Entry ${label} runs past the end of the archive`, error);
    throw error;
  }
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
