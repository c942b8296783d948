-- Starts a new epoch for a topic whose ids Redis gave twice: it lost writes a node had seen (a failover to a replica
-- that lacked them, a restart without fsync). The retained entries stay and count in the new epoch, so readers are
-- told by a gap `epoch` and nothing Redis still holds is dropped. Only the first node to notice changes it.
-- KEYS[1] meta hash   KEYS[2] stream   ARGV: 1 the epoch that lost writes, 2 the new epoch
-- Returns {the topic's epoch after it}.
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if epoch == ARGV[1] then
  redis.call('HSET', KEYS[1], 'epoch', ARGV[2])
  return {ARGV[2]}
end
return {epoch or ''}
