import { LuaScript } from "../lua-script.js";
import { prelude } from "./prelude.js";

/**
 * Reads a page of files in one step, so every entry and its inline bytes belong to the same write.
 * ARGV: maxFiles, maxBytes, strict ('1' or '0'), then the paths in the order to read them.
 *
 * Takes files until the next one would pass maxFiles or maxBytes (sizes of blob-backed files
 * count too), but always at least one, so a caller paging through always moves on. Strict: every
 * path must be a file (FILE_NOT_FOUND / IS_A_DIRECTORY, checked for all paths before anything is
 * returned); otherwise directories, and paths gone since the caller listed them, are skipped.
 *
 * Returns { consumed, index, entryJson, content, index, entryJson, content, … }: how many of the
 * paths this page covers (up to its last file when it is full, else all), then per file taken
 * its 1-based position among the paths, its entry, and its inline bytes ('' when they live in
 * the blob store).
 */
export const readManyScript = new LuaScript(
  "read-many",
  prelude +
    /* lua */ `
require_loaded()
local max_files, max_bytes, strict = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1'
-- reply[1] ends the page at the last file taken when it is full (the caller continues after it),
-- or at the last path when every path was read.
local reply = { #ARGV - 3 }
local taken, bytes, full = 0, 0, false
for i = 4, #ARGV do
  local path = ARGV[i]
  local raw = redis.call('HGET', ENTRIES, path)
  -- A missing field is false, not nil, in Redis Lua.
  local entry = raw and cjson.decode(raw) or nil
  local is_file = entry ~= nil and entry.type == 'file'
  if strict and not is_file then fail(entry and 'IS_A_DIRECTORY' or 'FILE_NOT_FOUND', path) end
  if is_file and not full and taken > 0 and (taken >= max_files or bytes + entry.size > max_bytes) then
    full = true
    reply[1] = reply[#reply - 2]
    if not strict then break end
  end
  if is_file and not full then
    taken = taken + 1
    bytes = bytes + entry.size
    reply[#reply + 1] = i - 3
    reply[#reply + 1] = raw
    reply[#reply + 1] = entry.blob and '' or (redis.call('HGET', CONTENTS, entry.id) or '')
  end
end
return reply
`,
);
