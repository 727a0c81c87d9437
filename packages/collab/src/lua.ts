// Lua scripts of the document store. Both keys of a document share the project's hash tag, so each
// script runs on one Redis Cluster node. KEYS[1] = state hash {snap, snapVer, ver}, KEYS[2] = list
// of updates after snapVer (entry i is version snapVer + i + 1).

/** Returns {snap, snapVer, ver, updates...} from version ARGV[1] (or everything when ARGV[1] < snapVer). */
export const LOAD = `
local s = redis.call('HMGET', KEYS[1], 'snap', 'snapVer', 'ver')
if not s[1] then return {} end
local snapVer = tonumber(s[2])
local from = tonumber(ARGV[1])
if from < snapVer then
  local out = {s[1], s[2], s[3]}
  for _, u in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do out[#out + 1] = u end
  return out
end
local out = {'', s[2], s[3]}
for _, u in ipairs(redis.call('LRANGE', KEYS[2], from - snapVer, -1)) do out[#out + 1] = u end
return out
`;

/** Stores the first snapshot unless another instance already did (returns 1 when stored). */
export const SEED = `
if redis.call('HSETNX', KEYS[1], 'snap', ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'snapVer', 0, 'ver', 0)
return 1
`;

/**
 * The body shared by the commit scripts. Appends an update unconditionally — Yjs updates commute,
 * so no compare-and-set is needed — and leaves in `out` what the caller (at version ARGV[1]) missed
 * before it: {newVer, snap|'', missed...}; `ver + 1` is the new version. Returns {} if the
 * document is gone.
 */
const COMMIT_BODY = `
local s = redis.call('HMGET', KEYS[1], 'snap', 'snapVer', 'ver')
if not s[1] then return {} end
local snapVer = tonumber(s[2])
local ver = tonumber(s[3])
local from = tonumber(ARGV[1])
local out
if from < snapVer then
  out = {ver + 1, s[1]}
  for _, u in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do out[#out + 1] = u end
else
  out = {ver + 1, ''}
  if from < ver then
    for _, u in ipairs(redis.call('LRANGE', KEYS[2], from - snapVer, -1)) do out[#out + 1] = u end
  end
end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[1], 'ver', ver + 1)
`;

/** Commits ARGV[2]; returns {newVer, snap|'', '', missed...} (see COMMIT_BODY). */
export const COMMIT = `${COMMIT_BODY}
table.insert(out, 3, '')
return out
`;

/**
 * Commits as COMMIT does and, in the same atomic step, appends the edit's event to the project's
 * log (KEYS[3], the topic's stream; @cohort/realtime's append_events, prepended by the caller):
 * an update is in the log exactly when it is in the document, and watchers hear of it one round
 * trip sooner. The event is ARGV[6] .. newVer .. ARGV[7]; ARGV[3..5] are the channel, maxLen and
 * maxAgeMs. Returns {newVer, snap|'', eventId, missed...}.
 */
export const COMMIT_AND_APPEND = `${COMMIT_BODY}
local ids = append_events(KEYS[3], ARGV[3], ARGV[4], ARGV[5], { ARGV[6] .. (ver + 1) .. ARGV[7] })
table.insert(out, 3, ids[1])
return out
`;

/** Replaces history up to version ARGV[1] with snapshot ARGV[2], if nothing was added since. */
export const COMPACT = `
local ver = tonumber(redis.call('HGET', KEYS[1], 'ver'))
if ver ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'snap', ARGV[2], 'snapVer', ver)
redis.call('DEL', KEYS[2])
return 1
`;
