import { LuaScript } from "./lua-script.js";
import { PRESENCE_LUA } from "./presence-lua.js";

/**
 * ARGV[4] ttlMs, ARGV[5] keyTtlMs, ARGV[6…] members → participants that came online.
 * Adds or refreshes members (expiry = Redis now + ttlMs). Also the heartbeat: a member that a
 * sweep removed while this instance stalled is added back and its participant logged online.
 */
export const joinScript = new LuaScript(`${PRESENCE_LUA}
local expiry = string.format('%.0f', now_ms() + tonumber(ARGV[4]))
local fresh = {}
for i = 6, #ARGV do
  if not redis.call('ZSCORE', KEYS[1], ARGV[i]) then fresh[#fresh + 1] = ARGV[i] end
end
local present = {}
if #fresh > 0 then present = present_participants(KEYS[1]) end
for i = 6, #ARGV do redis.call('ZADD', KEYS[1], expiry, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
local arrived = {}
for _, member in ipairs(fresh) do
  local participant = participant_of(member)
  if participant and not present[participant] then
    present[participant] = true
    arrived[#arrived + 1] = participant
  end
end
log_changes('online', arrived)
return #arrived
`);

/** ARGV[4…] members → participants that went offline. */
export const leaveScript = new LuaScript(`${PRESENCE_LUA}
local members = {}
for i = 4, #ARGV do members[#members + 1] = ARGV[i] end
return remove_members(members)
`);

/** Removes expired members → participants that went offline. */
export const sweepScript = new LuaScript(`${PRESENCE_LUA}
return sweep_expired()
`);

/**
 * Sweeps, then lists the participants with a member: the state the log describes up to its
 * current end, so a snapshot taken after subscribing never contradicts the events that follow.
 */
export const snapshotScript = new LuaScript(`${PRESENCE_LUA}
sweep_expired()
local list = {}
for participant in pairs(present_participants(KEYS[1])) do list[#list + 1] = participant end
return list
`);

/** KEYS: connections → participants with an unexpired member (read only). */
export const onlineScript = new LuaScript(`
local t = redis.call('TIME')
local now = string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
local seen, list = {}, {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')) do
  local participant = string.match(member, '^(%d+)|')
  if participant and not seen[participant] then
    seen[participant] = true
    list[#list + 1] = participant
  end
end
return list
`);
