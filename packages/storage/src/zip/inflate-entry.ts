import { promisify } from "node:util";
import { crc32, inflateRaw, type ZlibOptions } from "node:zlib";
import { templateInvalid, type StorageError } from "../errors.js";
import { STORED } from "./zip-format.js";

/** What the central directory says about one entry (the fields of unzipper's record we use). */
export interface ZipEntryRecord {
  path: string;
  uncompressedSize: number;
  compressionMethod: number;
  crc32: number;
}

const inflateRawAsync = promisify(inflateRaw) as (data: Buffer, options: ZlibOptions) => Promise<Buffer>;

/**
 * Inflates one entry's compressed bytes. zlib stops (with `ERR_BUFFER_TOO_LARGE`) the
 * moment the output passes the size the entry declares, so a lying header cannot make it
 * inflate a bomb; the declared sizes themselves were checked against the limits before. The
 * result must match the declared size and CRC-32, which unzipper does not check.
 *
 * One-shot inflation on zlib's thread pool costs far less per entry than a stream per entry
 * (2,000 small files: about 10×), which is what a template apply or a restore is made of.
 * @throws StorageError `TEMPLATE_INVALID` with reason ZIP_BOMB or CORRUPT
 */
export async function inflateEntry(data: Buffer, record: ZipEntryRecord): Promise<Buffer> {
  const label = JSON.stringify(record.path);
  const declared = record.uncompressedSize;
  let content: Buffer;
  if (record.compressionMethod === STORED) {
    content = data;
  } else {
    try {
      content = await inflateRawAsync(data, { maxOutputLength: Math.max(declared, 1) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
        throw declaresTooLittle(label, declared, error);
      }
      throw templateInvalid("CORRUPT", `Entry ${label} cannot be read: ${(error as Error).message}`, error);
    }
  }
  if (content.length > declared) throw declaresTooLittle(label, declared);
  if (content.length !== declared) throw templateInvalid("CORRUPT", `Entry ${label} is ${content.length} bytes but declares ${declared}`);
  if (crc32(content) >>> 0 !== record.crc32 >>> 0) throw templateInvalid("CORRUPT", `Entry ${label} fails its CRC-32 check`);
  return content;
}

/** An entry that holds more than it declares: how a small archive claims to be harmless. */
export function declaresTooLittle(label: string, declared: number, cause?: unknown): StorageError {
  return templateInvalid("ZIP_BOMB", `Entry ${label} unpacks to more than the ${declared} bytes it declares`, cause);
}
