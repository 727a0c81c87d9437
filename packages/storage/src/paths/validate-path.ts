import { StorageError } from "../errors.js";

export interface PathLimits {
  /**
   * Longest path, in UTF-8 bytes.
   * @default 1024
   */
  maxBytes?: number;
  /**
   * Longest single segment, in UTF-8 bytes (what most file systems allow).
   * @default 255
   */
  maxSegmentBytes?: number;
}

export const pathLimitDefaults = { maxBytes: 1024, maxSegmentBytes: 255 } as const satisfies Required<PathLimits>;

// C0 controls (NUL included), DEL and C1 controls. They break terminals, zip tools and logs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/u;
// With the `u` flag only unpaired surrogates match, which have no UTF-8 encoding.
const LONE_SURROGATE = /\p{Cs}/u;

function invalid(path: string, why: string): StorageError {
  return new StorageError("INVALID_PATH", `Invalid path ${JSON.stringify(path)}: ${why}`);
}

/**
 * Checks a project path against the rules of API.md and returns it unchanged: relative POSIX,
 * UTF-8, no leading `/`, no `.`/`..`/empty segments, no control characters, no backslash, byte
 * limits. The path is not normalised, so what is stored is exactly what the client sent.
 * @throws StorageError `INVALID_PATH`
 */
export function validatePath(path: string, limits: PathLimits = {}): string {
  const { maxBytes, maxSegmentBytes } = { ...pathLimitDefaults, ...limits };
  if (typeof path !== "string") throw invalid(String(path), "not a string");
  if (path.length === 0) throw invalid(path, "empty");
  if (LONE_SURROGATE.test(path)) throw invalid(path, "not valid UTF-8");
  if (CONTROL_CHARS.test(path)) throw invalid(path, "control characters are not allowed");
  if (path.includes("\\")) throw invalid(path, "backslashes are not allowed (use /)");
  if (path.startsWith("/")) throw invalid(path, "must be relative (no leading /)");
  const bytes = Buffer.byteLength(path, "utf8");
  if (bytes > maxBytes) throw invalid(path, `longer than ${maxBytes} bytes`);
  for (const segment of path.split("/")) {
    if (segment === "") throw invalid(path, "empty segment (trailing or double slash)");
    if (segment === "." || segment === "..") throw invalid(path, `"${segment}" segments are not allowed`);
    if (Buffer.byteLength(segment, "utf8") > maxSegmentBytes) {
      throw invalid(path, `a segment is longer than ${maxSegmentBytes} bytes`);
    }
  }
  return path;
}
