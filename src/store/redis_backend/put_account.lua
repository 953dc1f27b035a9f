-- Stores an account's configuration if the stored version is the one the caller replaces
-- (followscore, src/store/redis_backend).
-- KEYS: v config. ARGV: version replaced ('0': a new account), new version, configuration.
local current = redis.call('HGET', KEYS[1], 'config') or '0'
if current ~= ARGV[1] then return {'conflict', current} end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[1], 'config', ARGV[2])
return {'ok', tostring(redis.call('HINCRBY', KEYS[1], 'gen', 1))}
