import { isStorageError, templateInvalid } from "../errors.js";
import { validatePath, type PathLimits } from "../paths/validate-path.js";

export interface ZipName {
  path: string;
  /** The name ended with a slash. */
  isDirectory: boolean;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Turns an archive entry name into a project path, or null for a name that only denotes the
 * root (`./`). Backslashes count as separators (Windows tools write them, and `..\\` is a slip
 * there); `.` and empty segments are dropped; `..` anywhere is refused rather than resolved,
 * since no honest template needs it.
 * @throws StorageError `TEMPLATE_INVALID` with reason ABSOLUTE_PATH, ZIP_SLIP or INVALID_NAME
 */
export function normalizeZipName(raw: Buffer, limits: PathLimits): ZipName | null {
  let name: string;
  try {
    name = utf8.decode(raw);
  } catch (error) {
    throw templateInvalid("INVALID_NAME", `Entry name ${JSON.stringify(raw.toString("latin1"))} is not UTF-8`, error);
  }
  const slashed = name.replaceAll("\\", "/");
  if (slashed.startsWith("/") || /^[A-Za-z]:/.test(slashed)) {
    throw templateInvalid("ABSOLUTE_PATH", `Entry ${JSON.stringify(name)} has an absolute path`);
  }
  const segments = slashed.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) {
    throw templateInvalid("ZIP_SLIP", `Entry ${JSON.stringify(name)} points outside the project`);
  }
  if (segments.length === 0) return null;
  const path = segments.join("/");
  try {
    validatePath(path, limits);
  } catch (error) {
    if (!isStorageError(error)) throw error;
    throw templateInvalid("INVALID_NAME", `Entry ${JSON.stringify(name)}: ${error.message}`, error);
  }
  return { path, isDirectory: slashed.endsWith("/") };
}
