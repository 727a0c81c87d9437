import { LuaScript } from "./lua-script.js";

/**
 * KEYS: stream. ARGV: after (exclusive id), until (inclusive id or "+"), count.
 * → { head, entries }: the newest entry id ("0-0" if none) and up to `count` entries, read in
 * one atomic step so that `head` and the page describe the same moment.
 */
export const readPageScript = new LuaScript(`
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local head = '0-0'
if last[1] then head = last[1][1] end
local count = tonumber(ARGV[3])
if count == 0 then return { head, {} } end
local ok, entries = pcall(redis.call, 'XRANGE', KEYS[1], '(' .. ARGV[1], ARGV[2], 'COUNT', count)
if not ok then entries = {} end
return { head, entries }
`);
