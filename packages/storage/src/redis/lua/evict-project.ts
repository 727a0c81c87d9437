import { LuaScript } from "../lua-script.js";
import { prelude } from "./prelude.js";

/**
 * Removes a project from Redis only if it has not changed since `ifVersion` (the version its
 * backup was taken at) and nobody changed or pinged it for `minIdleMs` (Redis clock), all in one
 * step, so an edit racing a backup is never dropped.
 *
 * ARGV: ifVersion ('' = any), minIdleMs ('' = no check).
 * Returns { 1, 'evicted', ...blobKeys } or { 0, 'not-loaded' | 'changed' | 'active' }.
 */
export const evictProjectScript = new LuaScript(
  "evict-project",
  prelude +
    /* lua */ `
if redis.call('EXISTS', META) == 0 then return { 0, 'not-loaded' } end
if ARGV[1] ~= '' and meta_number('version') ~= tonumber(ARGV[1]) then return { 0, 'changed' } end
if ARGV[2] ~= '' then
  local last = math.max(meta_number('changedAt'), meta_number('touchedAt'))
  if now_ms() - last < tonumber(ARGV[2]) then return { 0, 'active' } end
end
local reply = { 1, 'evicted' }
local ids = {}
for _, raw in ipairs(redis.call('HVALS', ENTRIES)) do
  local entry = cjson.decode(raw)
  if entry.blob then reply[#reply + 1] = entry.blob end
  if entry.type == 'file' then ids[#ids + 1] = entry.id end
end
drop_docs(ids)
redis.call('DEL', ENTRIES, CONTENTS, META, CURSORS)
return reply
`,
);
