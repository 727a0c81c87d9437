import { LuaScript } from "../lua-script.js";
import { prelude } from "./prelude.js";

/**
 * Writes a whole project in one step (template apply, restore). Without `replace` it only acts
 * on a project that is not loaded, so concurrent loaders cannot both apply; with `replace` it
 * swaps the current content out atomically.
 *
 * ARGV: replace (1 | 0), minVersion, maxFiles, maxProjectBytes, maxFileBytes, then per entry
 * (parents before children): path, type, storage (inline | blob | none), payload, size.
 * Returns { 0, version } when the project was already loaded, else { 1, version, ...replacedBlobKeys }.
 */
export const importTreeScript = new LuaScript(
  "import-tree",
  prelude +
    /* lua */ `
local replace = ARGV[1] == '1'
local loaded = redis.call('EXISTS', META) == 1
if loaded and not replace then return { 0, meta_number('version') } end
local min_version = tonumber(ARGV[2])
local max_files, max_project, max_file = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local FIRST, STRIDE = 6, 5
local count = (#ARGV - FIRST + 1) / STRIDE
if count > max_files then fail('TOO_MANY_FILES') end
local total = 0
for i = FIRST, #ARGV, STRIDE do
  local size = tonumber(ARGV[i + 4])
  if size > max_file then fail('FILE_TOO_LARGE', ARGV[i]) end
  total = total + size
end
if total > max_project then fail('PROJECT_QUOTA_EXCEEDED') end

local version = min_version
local replaced = {}
if loaded then
  version = math.max(version, meta_number('version') + 1)
  local ids = {}
  for _, raw in ipairs(redis.call('HVALS', ENTRIES)) do
    local entry = cjson.decode(raw)
    if entry.blob then replaced[#replaced + 1] = entry.blob end
    if entry.type == 'file' then ids[#ids + 1] = entry.id end
  end
  -- Ids restart at 1 below: the old files' documents must not become the new files' history.
  drop_docs(ids)
  redis.call('DEL', ENTRIES, CONTENTS, META, CURSORS)
end

local now = now_ms()
local id = 0
for i = FIRST, #ARGV, STRIDE do
  id = id + 1
  local entry = { id = id, type = ARGV[i + 1], size = tonumber(ARGV[i + 4]), mtime = now }
  if ARGV[i + 2] == 'blob' then
    entry.blob = ARGV[i + 3]
  elseif ARGV[i + 1] == 'file' then
    redis.call('HSET', CONTENTS, id, ARGV[i + 3])
  end
  put_entry(ARGV[i], entry)
end
redis.call('HSET', META, 'version', version, 'totalSize', total, 'entryCount', count, 'nextId', id,
  'changedAt', now, 'createdAt', now)
local reply = { 1, version }
for _, blob in ipairs(replaced) do reply[#reply + 1] = blob end
return reply
`,
);
