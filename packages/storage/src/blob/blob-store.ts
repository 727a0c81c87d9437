import type { Readable } from "node:stream";

export interface BlobPutOptions {
  contentType?: string;
}

export interface BlobPutResult {
  size: number;
  /** Hex SHA-256 of the bytes stored; also kept with the object so `head` can return it. */
  sha256: string;
}

export interface BlobHead {
  size: number;
  /** Present when the object was stored through a `BlobStore` (absent for objects put by hand). */
  sha256?: string;
  lastModified: Date;
}

/** Bytes `start` (inclusive) to `end` (exclusive; the end of the object when absent). */
export interface BlobRange {
  start: number;
  end?: number;
}

export interface BlobListItem {
  key: string;
  size: number;
  lastModified: Date;
}

/**
 * Port for the blob store (S3 or a local folder): template zips, backups, large files. Keys are
 * `/`-separated relative paths such as `backups/l12/p34/…zip`.
 */
export interface BlobStore {
  /** Stores the whole body under `key`, replacing any object there; atomic to readers. */
  put(key: string, body: Buffer | Readable, options?: BlobPutOptions): Promise<BlobPutResult>;
  /** @throws StorageError `BLOB_NOT_FOUND` */
  get(key: string): Promise<Buffer>;
  /**
   * The object, or one range of it (a zip's directory at its end, then its entries), as a stream.
   * @throws StorageError `BLOB_NOT_FOUND`
   */
  getStream(key: string, range?: BlobRange): Promise<Readable>;
  /** `null` when there is no object under `key`. */
  head(key: string): Promise<BlobHead | null>;
  /** Every object whose key starts with `prefix` (a plain string prefix, as in S3), by key. */
  list(prefix: string): Promise<BlobListItem[]>;
  /** Removes the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}
