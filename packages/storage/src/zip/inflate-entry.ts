import { promisify } from "node:util";
import { crc32, inflateRaw, type ZlibOptions } from "node:zlib";
import { templateInvalid } from "../errors.js";

/** What the central directory says about one entry (the fields of unzipper's record we use). */
export interface ZipEntryRecord {
  path: string;
  offsetToLocalFileHeader: number;
  compressedSize: number;
  uncompressedSize: number;
  compressionMethod: number;
  crc32: number;
}

const inflateRawAsync = promisify(inflateRaw) as (data: Buffer, options: ZlibOptions) => Promise<Buffer>;

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;
const STORED = 0;

/**
 * Inflates one entry of an archive held in memory. zlib stops (with `ERR_BUFFER_TOO_LARGE`) the
 * moment the output passes the size the entry declares, so a lying header cannot make it
 * inflate a bomb; the declared sizes themselves were checked against the limits before. The
 * result must match the declared size and CRC-32, which unzipper does not check.
 *
 * One-shot inflation on zlib's thread pool costs far less per entry than a stream per entry
 * (2,000 small files: about 10×), which is what a template apply or a restore is made of.
 * @throws StorageError `TEMPLATE_INVALID` with reason ZIP_BOMB or CORRUPT
 */
export async function inflateEntry(archive: Buffer, record: ZipEntryRecord): Promise<Buffer> {
  const label = JSON.stringify(record.path);
  const declared = record.uncompressedSize;
  const data = entryData(archive, record, label);
  let content: Buffer;
  if (record.compressionMethod === STORED) {
    // A copy, so that the archive can be freed while the tree lives on.
    content = Buffer.from(data);
  } else {
    try {
      content = await inflateRawAsync(data, { maxOutputLength: Math.max(declared, 1) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
        throw templateInvalid("ZIP_BOMB", `Entry ${label} unpacks to more than the ${declared} bytes it declares`, error);
      }
      throw templateInvalid("CORRUPT", `Entry ${label} cannot be read: ${(error as Error).message}`, error);
    }
  }
  if (content.length > declared) throw templateInvalid("ZIP_BOMB", `Entry ${label} unpacks to more than the ${declared} bytes it declares`);
  if (content.length !== declared) throw templateInvalid("CORRUPT", `Entry ${label} is ${content.length} bytes but declares ${declared}`);
  if (crc32(content) >>> 0 !== record.crc32 >>> 0) throw templateInvalid("CORRUPT", `Entry ${label} fails its CRC-32 check`);
  return content;
}

/** The entry's compressed bytes: after its local header, whose name and extra field lengths may differ from the central directory's. */
function entryData(archive: Buffer, record: ZipEntryRecord, label: string): Buffer {
  const at = record.offsetToLocalFileHeader;
  if (!Number.isSafeInteger(at) || at < 0 || at + LOCAL_HEADER_BYTES > archive.length || archive.readUInt32LE(at) !== LOCAL_HEADER_SIGNATURE) {
    throw templateInvalid("CORRUPT", `Entry ${label} has no local header where the directory points`);
  }
  const start = at + LOCAL_HEADER_BYTES + archive.readUInt16LE(at + 26) + archive.readUInt16LE(at + 28);
  const end = start + record.compressedSize;
  if (end > archive.length) throw templateInvalid("CORRUPT", `Entry ${label} runs past the end of the archive`);
  return archive.subarray(start, end);
}
