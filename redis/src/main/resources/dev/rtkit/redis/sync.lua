-- Reads a topic's state for a node's cache: creates the metadata (a new epoch) when Redis has none.
-- KEYS[1] meta hash   KEYS[2] stream
-- ARGV: 1 epoch to use if the topic has none, 2 how many of the newest entries, 3 meta TTL (ms)
-- Returns {epoch, last seq, id of the oldest retained entry or '', newest entries, newest first}.
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'seq')
if not meta[1] then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'seq', '0', 'ms', '0')
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {ARGV[1], '0', '', {}}
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
local first = ''
if #oldest > 0 then
  first = oldest[1][1]
end
return {meta[1], meta[2], first, redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[2])}
