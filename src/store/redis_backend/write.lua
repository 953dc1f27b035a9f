-- Applies one account write atomically (followscore, src/store/redis_backend).
--
-- KEYS: the account's keys in `AccountKeys::all` order (v r k e o q u m a d config lease l).
-- ARGV[1]  configuration version the write was prepared under ('' : not checked)
-- ARGV[2]  lead model version the write was prepared under ('' : not checked)
-- ARGV[3]  the stamp fresh results carry ('' : keep the stored one)
-- ARGV[4]  n, then n outcome ids the write records as new
-- then     n, then n pairs (follower, revision it was read at; '' : not stored)
-- then ops, each an op code and its arguments (see `RedisAccount::apply`).
--
-- Every check comes before the first write: Redis does not roll a script back, so a script
-- that refuses must refuse having changed nothing.
local v, r, k, e, o, q, u, m, a, d, l =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10],
  KEYS[13]

local config = redis.call('HGET', v, 'config')
if not config then return {'gone'} end
if ARGV[1] ~= '' and config ~= ARGV[1] then return {'config'} end
if ARGV[2] ~= '' and (redis.call('HGET', v, 'lead') or '0') ~= ARGV[2] then return {'lead'} end

local i = 5
for _ = 1, tonumber(ARGV[4]) do
  if redis.call('HEXISTS', u, ARGV[i]) == 1 then return {'outcome'} end
  i = i + 1
end
local expected_followers = tonumber(ARGV[i])
i = i + 1
for _ = 1, expected_followers do
  local field, expected = ARGV[i], ARGV[i + 1]
  local current = redis.call('HGET', r, field)
  if expected == '' then
    if current then return {'follower', field} end
  elseif (not current) or string.sub(current, 1, 8) ~= expected then
    return {'follower', field}
  end
  i = i + 2
end

local function be8(n)
  local bytes = {}
  for j = 8, 1, -1 do
    bytes[j] = string.char(n % 256)
    n = math.floor(n / 256)
  end
  return table.concat(bytes)
end

local gen = redis.call('HINCRBY', v, 'gen', 1)
local revision = be8(gen)
if ARGV[3] ~= '' and redis.call('HGET', a, 'fresh_stamp') ~= ARGV[3] then
  redis.call('HSET', a, 'fresh_stamp', ARGV[3])
  redis.call('HDEL', a, 'fresh')
end

local function append(key, field, frame)
  redis.call('HSET', key, field, (redis.call('HGET', key, field) or '') .. frame)
end

local function count(key, field, delta)
  if redis.call('HINCRBY', key, field, delta) == 0 then
    redis.call('HDEL', key, field)
  end
end

while i <= #ARGV do
  local op = ARGV[i]
  if op == 'P' then
    redis.call('HSET', r, ARGV[i + 1], revision .. ARGV[i + 2])
    redis.call('ZADD', k, 0, ARGV[i + 1])
    i = i + 3
  elseif op == 'F' then
    local f = ARGV[i + 1]
    redis.call('HDEL', r, f)
    redis.call('ZREM', k, f)
    redis.call('HDEL', e, f)
    redis.call('HDEL', o, f)
    redis.call('HDEL', q, f)
    i = i + 2
  elseif op == 'E' then
    append(e, ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  elseif op == 'O' then
    append(o, ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  elseif op == 'U' then
    redis.call('HSET', u, ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  elseif op == 'Q' then
    redis.call('HSET', q, ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  elseif op == 'M' then
    redis.call('HSET', m, ARGV[i + 1], ARGV[i + 2], 'current', ARGV[i + 2])
    redis.call('HSET', v, 'lead', ARGV[i + 1])
    i = i + 3
  elseif op == 'L' then
    if ARGV[i + 1] ~= '' then redis.call('ZREM', l, ARGV[i + 1]) end
    if ARGV[i + 2] ~= '' then redis.call('ZADD', l, 0, ARGV[i + 2]) end
    i = i + 3
  elseif op == 'A' then
    count(a, ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  elseif op == 'D' then
    count(d, ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  else
    -- Unreachable from followscore; reported rather than skipped.
    return redis.error_reply('followscore: unknown write op ' .. tostring(op))
  end
end
return {'ok', tostring(gen)}
