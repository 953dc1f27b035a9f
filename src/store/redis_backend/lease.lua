-- Takes or renews a lease (followscore, src/store/redis_backend): succeeds if the lease is
-- free, expired or already held by this holder.
-- KEYS: lease. ARGV: holder, milliseconds.
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
