-- Appends one message to a topic, atomically: next seq, stream entry, trimming by count and age, TTLs, fan-out.
-- KEYS[1] meta hash {epoch, seq, ms}   KEYS[2] stream      (one hash tag per topic: one cluster slot)
-- ARGV: 1 epoch to use if the topic has none, 2 now (ms), 3 max entries, 4 max age (ms), 5 stream TTL (ms),
--       6 meta TTL (ms), 7 channel, 8 PUBLISH or SPUBLISH, 9 json flag 0|1, 10 event or '', 11 event length, 12 data
-- Returns {epoch, seq, ms}. Stream ids are <ms>-<seq>: increasing, and MINID trims by age. MAXLEN ~ trims whole
-- stream nodes (cheap); readers take only the newest ARGV[3] entries, so the count bound holds for them exactly.
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'ms')
local epoch = meta[1]
local seq = 0
local ms = 0
if not epoch then
  -- No metadata: the topic is new or Redis lost it. A stream left without it belongs to a lost epoch.
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
else
  seq = tonumber(meta[2])
  ms = tonumber(meta[3])
end
seq = seq + 1
local now = tonumber(ARGV[2])
if now > ms then
  ms = now
end
local s = string.format('%.0f', seq)
local m = string.format('%.0f', ms)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], m .. '-' .. s, 'j', ARGV[9], 'e', ARGV[10], 'd', ARGV[12])
redis.call('XTRIM', KEYS[2], 'MINID', string.format('%.0f', math.max(0, now - tonumber(ARGV[4]))))
redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', s, 'ms', m)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call(ARGV[8], ARGV[7], epoch .. '|' .. s .. '|' .. m .. '|' .. ARGV[9] .. '|' .. ARGV[11] .. '|' .. ARGV[10] .. ARGV[12])
return {epoch, s, m}
