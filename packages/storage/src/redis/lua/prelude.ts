/**
 * Helpers shared by the project scripts (prepended to each). Every script receives the keys
 * entries, contents, meta, cursors (in that order, one hash slot) and does all its checks before
 * its first write: Redis does not roll a script back, so "fail, change nothing" depends on it.
 */
export const prelude = /* lua */ `
local ENTRIES, CONTENTS, META, CURSORS = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

local function fail(code, detail)
  error({ err = 'STORAGE ' .. code .. ' ' .. (detail or '') })
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function require_loaded()
  if redis.call('EXISTS', META) == 0 then fail('PROJECT_NOT_LOADED') end
end

-- Live documents of files (packages/collab) share the project's tag: <prefix>{tag}:doc:<id> and
-- :docu:<id>. Deleting a file or evicting the project must take them too, or a later file with
-- the same id would inherit a stranger's edit history.
local DOC_BASE = string.sub(ENTRIES, 1, -8)
local function drop_docs(ids)
  for _, id in ipairs(ids) do redis.call('DEL', DOC_BASE .. 'doc:' .. id, DOC_BASE .. 'docu:' .. id) end
end

local function meta_number(field)
  return tonumber(redis.call('HGET', META, field) or '0')
end

local function get_entry(path)
  local raw = redis.call('HGET', ENTRIES, path)
  if not raw then return nil end
  return cjson.decode(raw)
end

local function put_entry(path, entry)
  redis.call('HSET', ENTRIES, path, cjson.encode(entry))
end

local function next_id()
  return redis.call('HINCRBY', META, 'nextId', 1)
end

-- The ancestors (outermost first) that do not exist yet; fails if one of them is a file.
local function missing_parents(parents)
  local missing = {}
  for _, parent in ipairs(parents) do
    local entry = get_entry(parent)
    if entry == nil then
      missing[#missing + 1] = parent
    elseif entry.type ~= 'directory' then
      fail('NOT_A_DIRECTORY', parent)
    end
  end
  return missing
end

local function create_directories(paths, now)
  for _, path in ipairs(paths) do
    put_entry(path, { id = next_id(), type = 'directory', size = 0, mtime = now })
  end
end

-- Every mutation ends here: the version counts changes (backups compare it before evicting).
local function bump(now, size_delta, count_delta)
  if size_delta ~= 0 then redis.call('HINCRBY', META, 'totalSize', size_delta) end
  if count_delta ~= 0 then redis.call('HINCRBY', META, 'entryCount', count_delta) end
  redis.call('HSET', META, 'changedAt', now)
  return redis.call('HINCRBY', META, 'version', 1)
end

-- { {path, raw}, ... } for the entry at path and, for a directory, everything below it.
local function subtree(path, raw, is_directory)
  local items = { { path, raw } }
  if not is_directory then return items end
  local prefix = path .. '/'
  local n = #prefix
  local all = redis.call('HGETALL', ENTRIES)
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, n) == prefix then items[#items + 1] = { all[i], all[i + 1] } end
  end
  return items
end

-- HDEL in slices: unpack() of thousands of values overflows the Lua stack.
local function hdel_all(key, fields)
  for i = 1, #fields, 500 do
    redis.call('HDEL', key, unpack(fields, i, math.min(i + 499, #fields)))
  end
end

-- Cursor fields are '<viewerId>:<path>'; viewer ids are digits, so the first ':' splits them.
-- Moves (to ~= nil) or drops (to == nil) the cursors on path and, for a directory, below it.
local function move_cursors(from, to, is_directory)
  local all = redis.call('HGETALL', CURSORS)
  local prefix = from .. '/'
  for i = 1, #all, 2 do
    local field = all[i]
    local sep = string.find(field, ':', 1, true)
    local viewer, path = string.sub(field, 1, sep - 1), string.sub(field, sep + 1)
    if path == from or (is_directory and string.sub(path, 1, #prefix) == prefix) then
      redis.call('HDEL', CURSORS, field)
      if to then redis.call('HSET', CURSORS, viewer .. ':' .. to .. string.sub(path, #from + 1), all[i + 1]) end
    end
  end
end
`;
