import { promisify } from "node:util";
import { crc32, deflateRaw, type ZlibOptions } from "node:zlib";
import { comparePaths } from "../paths/compare-paths.js";
import type { TreeEntry } from "../tree-entry.js";
import { mapLimit } from "../util/map-limit.js";
import {
  CENTRAL_HEADER_BYTES,
  CENTRAL_HEADER_SIGNATURE,
  DEFLATED,
  END_OF_CENTRAL_DIRECTORY_BYTES,
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  LOCAL_HEADER_BYTES,
  LOCAL_HEADER_SIGNATURE,
  S_IFDIR,
  S_IFREG,
  STORED,
  ZLIB_CONCURRENCY,
} from "./zip-format.js";

export interface WriteProjectZipOptions {
  /**
   * Deflate level 0-9 (0 stores files as they are).
   * @default 6
   */
  compressionLevel?: number;
  /**
   * Timestamp written on every entry (zip dates have a 2 s resolution).
   * @default now
   */
  mtime?: Date;
}

const deflateRawAsync = promisify(deflateRaw) as (data: Buffer, options: ZlibOptions) => Promise<Buffer>;

const UTF8_NAMES = 0x0800;
// 2.0: deflate and directories; made by Unix (3), so the mode in the external attributes counts.
const VERSION_NEEDED = 20;
const VERSION_MADE_BY = (3 << 8) | 20;
const FILE_MODE = S_IFREG | 0o644;
const DIRECTORY_MODE = S_IFDIR | 0o755;
const MSDOS_DIRECTORY = 0x10;
// Without ZIP64 records; a project is far below both (see the storage limits).
const MAX_ENTRIES = 0xffff;
const MAX_BYTES = 0xffffffff;

interface Packed {
  name: Buffer;
  method: number;
  crc: number;
  size: number;
  data: Buffer;
  isDirectory: boolean;
}

/**
 * Zips a project tree with full paths, binary files byte-exact and every directory as its own
 * entry (so empty ones survive), in path order. UTF-8 names are flagged as such. A file that
 * deflate would not shrink is stored.
 *
 * Files are compressed one-shot on zlib's thread pool, a few at a time, and the archive is
 * assembled in memory: a backup of 2,000 small files took over a second through a stream per
 * entry, most of it per-entry overhead rather than deflate.
 * @throws RangeError when the tree needs ZIP64 (more than 65,535 entries or 4 GiB)
 */
export async function writeProjectZip(entries: readonly TreeEntry[], options: WriteProjectZipOptions = {}): Promise<Buffer> {
  const { compressionLevel = 6, mtime = new Date() } = options;
  if (entries.length > MAX_ENTRIES) throw new RangeError(`A zip without ZIP64 holds at most ${MAX_ENTRIES} entries`);
  const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path));
  const packed = await mapLimit(sorted, ZLIB_CONCURRENCY, (entry) => pack(entry, compressionLevel));
  const stamp = dosDateTime(mtime);

  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of packed) {
    const local = Buffer.alloc(LOCAL_HEADER_BYTES + entry.name.length);
    local.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
    writeSharedFields(local, 4, entry, stamp);
    entry.name.copy(local, LOCAL_HEADER_BYTES);

    const central = Buffer.alloc(CENTRAL_HEADER_BYTES + entry.name.length);
    central.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    writeSharedFields(central, 6, entry, stamp);
    const mode = entry.isDirectory ? DIRECTORY_MODE : FILE_MODE;
    central.writeUInt32LE(((mode << 16) | (entry.isDirectory ? MSDOS_DIRECTORY : 0)) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    entry.name.copy(central, CENTRAL_HEADER_BYTES);

    locals.push(local, entry.data);
    centrals.push(central);
    offset += local.length + entry.data.length;
    if (offset > MAX_BYTES) throw new RangeError("A zip without ZIP64 holds at most 4 GiB");
  }
  const directorySize = centrals.reduce((sum, central) => sum + central.length, 0);
  const end = Buffer.alloc(END_OF_CENTRAL_DIRECTORY_BYTES);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  end.writeUInt16LE(packed.length, 8);
  end.writeUInt16LE(packed.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** The fields a local header and a central record share, in the same order: version needed to name length. */
function writeSharedFields(header: Buffer, at: number, entry: Packed, { time, date }: { time: number; date: number }): void {
  header.writeUInt16LE(VERSION_NEEDED, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(entry.method, at + 4);
  header.writeUInt16LE(time, at + 6);
  header.writeUInt16LE(date, at + 8);
  header.writeUInt32LE(entry.crc, at + 10);
  header.writeUInt32LE(entry.data.length, at + 14);
  header.writeUInt32LE(entry.size, at + 18);
  header.writeUInt16LE(entry.name.length, at + 22);
}

async function pack(entry: TreeEntry, level: number): Promise<Packed> {
  if (entry.type === "directory") {
    return { name: Buffer.from(`${entry.path}/`), method: STORED, crc: 0, size: 0, data: Buffer.alloc(0), isDirectory: true };
  }
  const content = entry.content ?? Buffer.alloc(0);
  const name = Buffer.from(entry.path);
  const crc = crc32(content) >>> 0;
  const deflated = level > 0 && content.length > 0 ? await deflateRawAsync(content, { level }) : null;
  const useDeflated = deflated !== null && deflated.length < content.length;
  return { name, method: useDeflated ? DEFLATED : STORED, crc, size: content.length, data: useDeflated ? deflated : content, isDirectory: false };
}

/** MS-DOS date and time (local time, 2 s resolution), as zip tools read them. */
function dosDateTime(at: Date): { time: number; date: number } {
  const year = Math.min(Math.max(at.getFullYear(), 1980), 2107);
  return {
    time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
  };
}
