import { LuaScript } from "./lua-script.js";

/**
 * Lua function shared by every script that appends to a topic log. XADD and PUBLISH happen in
 * one script, so the pub/sub order equals the stream order, and a presence change is logged in
 * the same atomic step that changes the presence set.
 *
 * Each entry stores the id of the entry before it (field "p") and the message carries it too,
 * so readers detect any gap. MINID trimming never removes the entry just added: the next append
 * reads it as its "prev".
 */
export const APPEND_EVENTS_LUA = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function append_events(stream, channel, max_len, max_age_ms, payloads)
  local last = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
  local prev = '0-0'
  if last[1] then prev = last[1][1] end
  local ids = {}
  for i = 1, #payloads do
    local id = redis.call('XADD', stream, 'MAXLEN', '~', max_len, '*', 'p', prev, 'e', payloads[i])
    redis.call('PUBLISH', channel, id .. ' ' .. prev .. ' ' .. payloads[i])
    ids[i] = id
    prev = id
  end
  local age = tonumber(max_age_ms)
  if age > 0 and #ids > 0 then
    local min_ms = now_ms() - age
    local newest_ms = tonumber(string.match(prev, '^(%d+)'))
    if min_ms > newest_ms then min_ms = newest_ms end
    redis.call('XTRIM', stream, 'MINID', '~', string.format('%.0f', min_ms) .. '-0')
  end
  return ids
end
`;

/** KEYS: stream. ARGV: channel, maxLen, maxAgeMs (0 = none), payload… → ids. */
export const appendEventsScript = new LuaScript(`${APPEND_EVENTS_LUA}
local payloads = {}
for i = 4, #ARGV do payloads[#payloads + 1] = ARGV[i] end
return append_events(KEYS[1], ARGV[1], ARGV[2], ARGV[3], payloads)
`);
