import { LuaScript } from "../lua-script.js";
import { prelude } from "./prelude.js";

/**
 * Reads an entry and its inline content in one step, so the size and bytes returned always
 * belong to the same write. ARGV: path. Returns { entryJson, content? } (no content when the
 * bytes live in the blob store).
 */
export const readFileScript = new LuaScript(
  "read-file",
  prelude +
    /* lua */ `
require_loaded()
local path = ARGV[1]
local raw = redis.call('HGET', ENTRIES, path)
if not raw then fail('FILE_NOT_FOUND', path) end
local entry = cjson.decode(raw)
if entry.type == 'directory' then fail('IS_A_DIRECTORY', path) end
if entry.blob then return { raw } end
return { raw, redis.call('HGET', CONTENTS, entry.id) or '' }
`,
);
