// The parts of the zip format (APPNOTE 6.3) that both the reader and the writer use.

export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const LOCAL_HEADER_BYTES = 30;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const CENTRAL_HEADER_BYTES = 46;
export const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
export const END_OF_CENTRAL_DIRECTORY_BYTES = 22;
/** The end-of-central-directory record followed by the longest comment it may carry. */
export const MAX_TAIL_BYTES = END_OF_CENTRAL_DIRECTORY_BYTES + 0xffff;

/** Compression methods. */
export const STORED = 0;
export const DEFLATED = 8;

/** Unix file types in the high half of the external attributes (made by Unix). */
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

/** Entries deflated or inflated at once: zlib's thread pool has four threads. */
export const ZLIB_CONCURRENCY = 4;
