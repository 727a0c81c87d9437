import { LuaScript } from "../lua-script.js";
import { prelude } from "./prelude.js";

/**
 * Deletes an entry and, for a directory, everything below it, in one step, with its inline
 * content and cursors. Blobs of large files are returned for the caller to delete afterwards
 * (a blob outliving its entry is garbage; an entry outliving its blob would be data loss).
 *
 * ARGV: path. Returns { version, type, ...blobKeys }.
 */
export const deleteEntryScript = new LuaScript(
  "delete-entry",
  prelude +
    /* lua */ `
require_loaded()
local path = ARGV[1]
local raw = redis.call('HGET', ENTRIES, path)
if not raw then fail('FILE_NOT_FOUND', path) end
local kind = cjson.decode(raw).type

local paths, ids, blobs, size = {}, {}, {}, 0
for _, item in ipairs(subtree(path, raw, kind == 'directory')) do
  local entry = cjson.decode(item[2])
  paths[#paths + 1] = item[1]
  if entry.type == 'file' then
    size = size + entry.size
    ids[#ids + 1] = entry.id
    if entry.blob then blobs[#blobs + 1] = entry.blob end
  end
end

hdel_all(ENTRIES, paths)
hdel_all(CONTENTS, ids)
drop_docs(ids)
move_cursors(path, nil, kind == 'directory')
local reply = { bump(now_ms(), -size, -#paths), kind }
for _, blob in ipairs(blobs) do reply[#reply + 1] = blob end
return reply
`,
);
