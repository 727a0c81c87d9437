import { crc32 } from "node:zlib";
import type { File as ZipRecord } from "unzipper";
import { isStorageError, templateInvalid } from "../errors.js";

/**
 * Inflates one archive entry, counting the bytes as they come: it stops (and destroys the
 * stream) the moment an entry produces more than it declared or more than the total budget left,
 * so a lying header cannot make it inflate a bomb. The result must match the declared size and
 * CRC-32, which unzipper itself does not check.
 * @throws StorageError `TEMPLATE_INVALID` with reason ZIP_BOMB or CORRUPT
 */
export async function inflateEntry(record: ZipRecord, { remainingBytes }: { remainingBytes: number }): Promise<Buffer> {
  const label = JSON.stringify(record.path);
  const declared = record.uncompressedSize;
  const stream = record.stream();
  const chunks: Buffer[] = [];
  let size = 0;
  let checksum = 0;
  try {
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      if (size > declared) throw templateInvalid("ZIP_BOMB", `Entry ${label} unpacks to more than the ${declared} bytes it declares`);
      if (size > remainingBytes) throw templateInvalid("ZIP_BOMB", "The archive unpacks to more than the project limit");
      checksum = crc32(bytes, checksum);
      chunks.push(bytes);
    }
  } catch (error) {
    if (isStorageError(error)) throw error;
    throw templateInvalid("CORRUPT", `Entry ${label} cannot be read: ${(error as Error).message}`, error);
  } finally {
    stream.destroy();
  }
  if (size !== declared) throw templateInvalid("CORRUPT", `Entry ${label} is ${size} bytes but declares ${declared}`);
  if (checksum >>> 0 !== record.crc32 >>> 0) throw templateInvalid("CORRUPT", `Entry ${label} fails its CRC-32 check`);
  return Buffer.concat(chunks, size);
}
