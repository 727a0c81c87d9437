import { END_OF_CENTRAL_DIRECTORY_BYTES as EOCD_SIZE, END_OF_CENTRAL_DIRECTORY_SIGNATURE as EOCD_SIGNATURE } from "./zip-format.js";

export interface EndOfCentralDirectory {
  /** Offset of the record in the archive. */
  offset: number;
  /** Entry count it declares (0xffff means "see the zip64 record"). */
  entryCount: number;
}

/**
 * Finds the end-of-central-directory record by scanning backwards and accepting only a record
 * whose comment ends exactly at the end of the archive. (unzipper scans forwards from a fixed
 * tail, which misreads archives with long comments or signature-like bytes near the end.)
 */
export function findEndOfCentralDirectory(archive: Buffer): EndOfCentralDirectory | null {
  const lowest = Math.max(0, archive.length - EOCD_SIZE - 0xffff);
  for (let offset = archive.length - EOCD_SIZE; offset >= lowest; offset--) {
    if (archive.readUInt32LE(offset) !== EOCD_SIGNATURE) continue;
    const commentLength = archive.readUInt16LE(offset + 20);
    if (offset + EOCD_SIZE + commentLength === archive.length) {
      return { offset, entryCount: archive.readUInt16LE(offset + 10) };
    }
  }
  return null;
}
