import { LuaScript } from "../lua-script.js";
import { prelude } from "./prelude.js";

/**
 * An entry and the project's total size in one command (every edit asks for both before it is
 * applied; a MULTI of two reads was four commands and ioredis's transaction bookkeeping).
 * ARGV: path. Returns { entryJson or nil, totalSize }.
 */
export const statEntryScript = new LuaScript(
  "stat-entry",
  prelude +
    /* lua */ `
require_loaded()
return { redis.call('HGET', ENTRIES, ARGV[1]) or false, redis.call('HGET', META, 'totalSize') or '0' }
`,
);
