import { PassThrough, Readable } from "node:stream";
import type { BlobRange, BlobStore } from "../blob/blob-store.js";

/**
 * An archive read by ranges: the directory at its end first, then its entries front to back, so a
 * template or backup in the blob store is never held whole in memory.
 */
export interface ZipSource {
  /** Bytes in the archive. */
  size: number;
  read(range: BlobRange): Promise<Readable>;
}

/** An archive already in memory. */
export function bufferZipSource(archive: Buffer): ZipSource {
  return {
    size: archive.length,
    read: ({ start, end }) => Promise.resolve(Readable.from([archive.subarray(start, end)])),
  };
}

/** An object of the blob store whose size is known (from `head`). */
export function blobZipSource(blobs: BlobStore, key: string, size: number): ZipSource {
  return { size, read: (range) => blobs.getStream(key, range) };
}

/**
 * `source` with its last bytes, already read, served from memory: unzipper reads the end record
 * again, and in an archive of up to 64 KiB the whole directory, which would each be one more
 * request to the blob store.
 */
export function withTail(source: ZipSource, tailStart: number, tail: Buffer): ZipSource {
  return {
    size: source.size,
    read: (range) =>
      range.start >= tailStart
        ? Promise.resolve(Readable.from([tail.subarray(range.start - tailStart, (range.end ?? source.size) - tailStart)]))
        : source.read(range),
  };
}

/**
 * The source as unzipper's `Open.custom` wants it: streams handed out at once, filled when the
 * range arrives.
 */
export function unzipperSource(source: ZipSource) {
  const adapted = {
    /** The first error of the source itself (the blob store), as opposed to what unzipper makes of the bytes. */
    failure: undefined as unknown,
    size: () => Promise.resolve(source.size),
    stream(offset: number, length?: number): Readable {
      const out = new PassThrough();
      const fail = (error: unknown) => {
        adapted.failure ??= error;
        out.destroy(error as Error);
      };
      source.read({ start: offset, ...(length ? { end: offset + length } : {}) }).then((stream) => {
        stream.on("error", fail);
        out.on("close", () => stream.destroy());
        stream.pipe(out);
      }, fail);
      return out;
    },
  };
  return adapted;
}
