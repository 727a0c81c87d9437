import { StorageError, type StorageErrorCode } from "../errors.js";

// Lua scripts fail with `STORAGE <CODE> <detail>`; Redis appends where the script failed.
const SCRIPT_ERROR = /^STORAGE ([A-Z_]+) ?(.*?)(?: script: [0-9a-f]+, on @user_script:\d+\.)?$/s;

const messages: Partial<Record<string, (detail: string) => [StorageErrorCode, string]>> = {
  PROJECT_NOT_LOADED: () => ["PROJECT_NOT_LOADED", "The project is not loaded"],
  FILE_EXISTS: (d) => ["FILE_EXISTS", `${d} already exists`],
  FILE_NOT_FOUND: (d) => ["FILE_NOT_FOUND", `${d} does not exist`],
  IS_A_DIRECTORY: (d) => ["IS_A_DIRECTORY", `${d} is a directory`],
  NOT_A_DIRECTORY: (d) => ["NOT_A_DIRECTORY", `${d} is a file, not a directory`],
  TOO_MANY_FILES: () => ["TOO_MANY_FILES", "The project has reached its maximum number of files"],
  FILE_TOO_LARGE: (d) => ["FILE_TOO_LARGE", `${d} is larger than the maximum file size`],
  PROJECT_QUOTA_EXCEEDED: () => ["PROJECT_QUOTA_EXCEEDED", "The change would exceed the project's size quota"],
  INTO_ITSELF: (d) => ["INVALID_PATH", `Cannot move the directory ${d} into itself`],
  PATH_TOO_LONG: (d) => ["INVALID_PATH", `The path ${d} would be too long`],
};

/** Turns a script's `STORAGE …` error into a StorageError; anything else passes through. */
export function mapScriptError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const match = SCRIPT_ERROR.exec(error.message);
  if (!match?.[1]) return error;
  const describe = messages[match[1]];
  if (describe === undefined) return error;
  const [code, message] = describe(match[2] ?? "");
  return new StorageError(code, message, { cause: error });
}
