import { APPEND_EVENTS_LUA } from "./append-events.js";

/**
 * Lua shared by the presence scripts. Invariant, kept by running every change in one script:
 * a participant is online in the log exactly while the connection set holds a member of theirs
 * (expired or not). "online" is appended when their first member is added, "offline" when their
 * last one is removed, so two instances joining, leaving or sweeping at once log each change once.
 *
 * Every script takes KEYS = { connections, stream } and ARGV = { channel, maxLen, maxAgeMs, … }.
 */
export const PRESENCE_LUA = `${APPEND_EVENTS_LUA}
local function participant_of(member)
  return string.match(member, '^(%d+)|')
end

local function present_participants(conns)
  local present = {}
  for _, member in ipairs(redis.call('ZRANGE', conns, 0, -1)) do
    local participant = participant_of(member)
    if participant then present[participant] = true end
  end
  return present
end

local function log_changes(kind, participants)
  if #participants == 0 then return end
  local payloads = {}
  for i, participant in ipairs(participants) do
    payloads[i] = '{"type":"' .. kind .. '","participantId":' .. participant .. '}'
  end
  append_events(KEYS[2], ARGV[1], ARGV[2], ARGV[3], payloads)
end

-- Removes members; logs "offline" once for each participant left without any.
local function remove_members(members)
  local removed = {}
  for _, member in ipairs(members) do
    if redis.call('ZREM', KEYS[1], member) == 1 then removed[#removed + 1] = member end
  end
  if #removed == 0 then return 0 end
  local present = present_participants(KEYS[1])
  local gone = {}
  for _, member in ipairs(removed) do
    local participant = participant_of(member)
    if participant and not present[participant] then
      present[participant] = true
      gone[#gone + 1] = participant
    end
  end
  log_changes('offline', gone)
  return #gone
end

local function sweep_expired()
  local now = string.format('%.0f', now_ms())
  return remove_members(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now))
end
`;
