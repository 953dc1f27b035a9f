-- Records the day a whole daily sweep of an account ended (followscore,
-- src/store/redis_backend), unless the account is gone: a sweep ending as its account is
-- deleted must not leave a key behind.
-- KEYS: the account's versions hash. ARGV: the day (UTC days since 1970).
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'swept', ARGV[1])
end
return 1
