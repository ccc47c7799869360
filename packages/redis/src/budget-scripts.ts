import { RedisScript } from './redis-script.js';

/**
 * KEYS: account hash (field `spent`, micro-dollars), holds zset
 * (reservation id → expiry), amounts hash (reservation id → micro-dollars).
 * A reservation counts while its expiry is in the future; after it, it is
 * remembered for `retention` so a late commit is still charged, then
 * forgotten. All money is integer micro-dollars.
 */
const COMMON = `
local account, holds, amounts = KEYS[1], KEYS[2], KEYS[3]
local now = tonumber(ARGV[1])
local retention = tonumber(ARGV[2])
local function int(x) return string.format('%.0f', x) end
local function spent() return tonumber(redis.call('HGET', account, 'spent') or '0') end
local function reserved()
  local sum = 0
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', holds, '(' .. int(now), '+inf')) do
    sum = sum + tonumber(redis.call('HGET', amounts, id) or '0')
  end
  return sum
end
local function forgetOld()
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', holds, '-inf', int(now - retention))) do
    redis.call('ZREM', holds, id)
    redis.call('HDEL', amounts, id)
  end
end
-- The amount of a reservation still remembered, and forgets it; nil when unknown.
local function settle(id)
  local expires = redis.call('ZSCORE', holds, id)
  local amount = redis.call('HGET', amounts, id)
  redis.call('ZREM', holds, id)
  redis.call('HDEL', amounts, id)
  if expires == false or amount == false then return nil end
  if tonumber(expires) + retention <= now then return nil end
  return tonumber(amount)
end
local function label(scope, period)
  redis.call('HSETNX', account, 'scope', scope)
  redis.call('HSETNX', account, 'period', period)
end
local function keepAccount(ms)
  if ms ~= '' then redis.call('PEXPIRE', account, ms) end
end
`;

/** ARGV: now, retention, amount, limit ('' = unlimited), ttl, id, scope, period, accountTtl. → ok, spent, reserved. */
export const RESERVE = new RedisScript(`${COMMON}
local amount = tonumber(ARGV[3])
local unlimited = ARGV[4] == ''
local ttl = tonumber(ARGV[5])
forgetOld()
local s, r = spent(), reserved()
local ok = unlimited or s + r + amount <= tonumber(ARGV[4])
if ok then
  redis.call('ZADD', holds, int(now + ttl), ARGV[6])
  redis.call('HSET', amounts, ARGV[6], int(amount))
  r = r + amount
  label(ARGV[7], ARGV[8])
  keepAccount(ARGV[9])
  -- The hold keys outlive their newest reservation's retention, then vanish.
  local keep = ttl + retention
  for _, k in ipairs({ holds, amounts }) do
    if redis.call('PTTL', k) < keep then redis.call('PEXPIRE', k, math.max(1, math.ceil(keep))) end
  end
end
return { ok and 1 or 0, int(s), int(r) }
`);

/** ARGV: now, retention, id, actual, accountTtl. → ok, spent. */
export const COMMIT = new RedisScript(`${COMMON}
local amount = settle(ARGV[3])
if amount == nil then return { 0, '0' } end
local s = redis.call('HINCRBY', account, 'spent', ARGV[4])
keepAccount(ARGV[5])
return { 1, int(s) }
`);

/** ARGV: now, retention, id. → 1 when released, 0 when unknown. */
export const RELEASE = new RedisScript(`${COMMON}
if settle(ARGV[3]) == nil then return 0 end
return 1
`);

/** ARGV: now, retention, amount, scope, period, accountTtl. → spent, reserved. */
export const RECORD = new RedisScript(`${COMMON}
local s = redis.call('HINCRBY', account, 'spent', ARGV[3])
label(ARGV[4], ARGV[5])
keepAccount(ARGV[6])
return { int(s), int(reserved()) }
`);

/** ARGV: now, retention. → spent, reserved. */
export const USAGE = new RedisScript(`${COMMON}
return { int(spent()), int(reserved()) }
`);
