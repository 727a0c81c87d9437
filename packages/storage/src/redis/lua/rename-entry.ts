import { LuaScript } from "../lua-script.js";
import { prelude } from "./prelude.js";

/**
 * Moves an entry and, for a directory, everything below it, in one step: a concurrent reader
 * sees the whole tree at the old place or the whole tree at the new one. Content is keyed by
 * file id, so only the entries hash changes. Cursors move along.
 *
 * ARGV: from, to, maxPathBytes, maxFiles, ...parents of `to` (outermost first).
 * Returns { version, type }.
 */
export const renameEntryScript = new LuaScript(
  "rename-entry",
  prelude +
    /* lua */ `
require_loaded()
local from, to = ARGV[1], ARGV[2]
local max_path, max_files = tonumber(ARGV[3]), tonumber(ARGV[4])
local parents = {}
for i = 5, #ARGV do parents[#parents + 1] = ARGV[i] end

local raw = redis.call('HGET', ENTRIES, from)
if not raw then fail('FILE_NOT_FOUND', from) end
if redis.call('HEXISTS', ENTRIES, to) == 1 then fail('FILE_EXISTS', to) end
local kind = cjson.decode(raw).type
local is_directory = kind == 'directory'
if is_directory and string.sub(to, 1, #from + 1) == from .. '/' then fail('INTO_ITSELF', from) end
local missing = missing_parents(parents)
if meta_number('entryCount') + #missing > max_files then fail('TOO_MANY_FILES', to) end

local items = subtree(from, raw, is_directory)
local old_paths = {}
for i, item in ipairs(items) do
  local new_path = to .. string.sub(item[1], #from + 1)
  -- # counts bytes: a deep tree moved under a long name may cross the path limit.
  if #new_path > max_path then fail('PATH_TOO_LONG', new_path) end
  item[3] = new_path
  old_paths[i] = item[1]
end

local now = now_ms()
create_directories(missing, now)
hdel_all(ENTRIES, old_paths)
for _, item in ipairs(items) do redis.call('HSET', ENTRIES, item[3], item[2]) end
move_cursors(from, to, is_directory)
return { bump(now, 0, #missing), kind }
`,
);
