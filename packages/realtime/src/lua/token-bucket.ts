import { LuaScript } from "./lua-script.js";

/**
 * A token bucket in one hash ({ tokens, at }), refilled by the time Redis itself reports, so
 * instances with skewed clocks share it fairly. Takes up to `want` whole tokens and returns how
 * many it took (0: the bucket is empty). The key expires once a full refill would have happened,
 * so idle participants leave nothing behind.
 *
 * KEYS: bucket. ARGV: ratePerSec, burst, want.
 */
export const takeTokensScript = new LuaScript(/* lua */ `
local rate, burst, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
else
  tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
end
local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return granted
`);
