import { LuaScript } from "../lua-script.js";
import { prelude } from "./prelude.js";

/**
 * Creates or replaces one entry, creating missing parent directories, and enforces the file,
 * project and entry-count limits against the running totals in the same step, so concurrent
 * writes can never overshoot them.
 *
 * ARGV: mode (create | replace | upsert), type (file | directory), storage (inline | blob |
 * none), payload (inline bytes or blob key), size, maxFileBytes, maxProjectBytes, maxFiles,
 * path, docVersion ('' when the write does not come from a live document), ...parents (outermost
 * first). Returns { version, id, mtime, replacedBlobKey or '', skipped (1 when a newer version of
 * the live document's text was already stored) }.
 */
export const putEntryScript = new LuaScript(
  "put-entry",
  prelude +
    /* lua */ `
require_loaded()
local mode, kind, storage, payload = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local size = tonumber(ARGV[5])
local max_file, max_project, max_files = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local path = ARGV[9]
local doc_version = tonumber(ARGV[10])
local parents = {}
for i = 11, #ARGV do parents[#parents + 1] = ARGV[i] end

local existing = get_entry(path)
if existing then
  if mode == 'create' then fail('FILE_EXISTS', path) end
  if existing.type == 'directory' then fail('IS_A_DIRECTORY', path) end
elseif mode == 'replace' then
  fail('FILE_NOT_FOUND', path)
end
-- Instances materialise a live document's text concurrently; the text of an older version must
-- never overwrite a newer one.
if existing and doc_version and existing.dv and existing.dv >= doc_version then
  return { meta_number('version'), existing.id, existing.mtime, '', 1 }
end

local missing = {}
if not existing then
  missing = missing_parents(parents)
  if meta_number('entryCount') + #missing + 1 > max_files then fail('TOO_MANY_FILES', path) end
end
if size > max_file then fail('FILE_TOO_LARGE', path) end
local old_size = existing and existing.size or 0
-- Only growth is refused, so a project already over a lowered quota can still shrink.
if size > old_size and meta_number('totalSize') - old_size + size > max_project then
  fail('PROJECT_QUOTA_EXCEEDED', path)
end

local now = now_ms()
create_directories(missing, now)
local id = existing and existing.id or next_id()
local entry = { id = id, type = kind, size = size, mtime = now, dv = doc_version }
if kind == 'file' then
  if storage == 'blob' then
    entry.blob = payload
    redis.call('HDEL', CONTENTS, id)
  else
    redis.call('HSET', CONTENTS, id, payload)
  end
end
put_entry(path, entry)
local added = #missing
if not existing then added = added + 1 end
local version = bump(now, size - old_size, added)
local replaced = ''
if existing and existing.blob and existing.blob ~= entry.blob then replaced = existing.blob end
return { version, id, now, replaced, 0 }
`,
);
