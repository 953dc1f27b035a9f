-- Removes every key of an account (followscore, src/store/redis_backend).
-- KEYS: the account's keys in `AccountKeys::all` order. Returns whether it existed and how
-- many followers it stored.
local existed = redis.call('EXISTS', KEYS[1])
local stored = redis.call('HGET', KEYS[9], 's') or '0'
for _, key in ipairs(KEYS) do
  redis.call('UNLINK', key)
end
return {tostring(existed), stored}
