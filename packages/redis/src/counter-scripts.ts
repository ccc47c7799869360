import { RedisScript } from './redis-script.js';

/**
 * Shared prologue: loads the slots of KEYS[1] (a hash: slot start → units),
 * drops the ones whose END is a whole window old, and leaves them sorted
 * oldest first. Same rule as core's MemoryCounterStore, so both behave alike.
 */
const LOAD = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local slotMs = tonumber(ARGV[3])
local flat = redis.call('HGETALL', key)
local slots = {}
local total = 0
for i = 1, #flat, 2 do
  local s = tonumber(flat[i])
  local c = tonumber(flat[i + 1])
  if s + slotMs + window <= now or c <= 0 then
    redis.call('HDEL', key, flat[i])
  else
    slots[#slots + 1] = { s, c }
    total = total + c
  end
end
table.sort(slots, function(a, b) return a[1] < b[1] end)
local function field(s) return string.format('%.0f', s) end
local function num(x) return string.format('%.17g', x) end
local function resetAt()
  if #slots == 0 then return now end
  return slots[#slots][1] + slotMs + window
end
local function keepAlive()
  if #slots > 0 then
    redis.call('PEXPIRE', key, math.max(1, math.ceil(resetAt() - now)))
  end
end
`;

/** ARGV: now, windowMs, slotMs, amount, limit ('' = unlimited). → allowed, count, resetAt, retryAfter. */
export const CONSUME = new RedisScript(`${LOAD}
local amount = tonumber(ARGV[4])
local unlimited = ARGV[5] == ''
local limit = unlimited and 0 or tonumber(ARGV[5])
if unlimited or total + amount <= limit then
  if amount > 0 then
    local start = math.floor(now / slotMs) * slotMs
    local last = slots[#slots]
    -- A clock that stepped back (or a peer running behind) lands in the newest slot: keeps order, errs long.
    if last ~= nil and last[1] >= start then
      last[2] = last[2] + amount
      redis.call('HINCRBYFLOAT', key, field(last[1]), num(amount))
    else
      slots[#slots + 1] = { start, amount }
      redis.call('HINCRBYFLOAT', key, field(start), num(amount))
    end
    total = total + amount
  end
  keepAlive()
  return { 1, num(total), num(resetAt()), '0' }
end
local retry
if amount > limit then
  retry = 'inf'
else
  retry = num(window)
  local left = total
  for i = 1, #slots do
    left = left - slots[i][2]
    if left + amount <= limit then
      retry = num(math.max(1, slots[i][1] + slotMs + window - now))
      break
    end
  end
end
return { 0, num(total), num(resetAt()), retry }
`);

/** ARGV: now, windowMs, slotMs, amount, consumedAt ('' = newest slots first). */
export const REFUND = new RedisScript(`${LOAD}
local left = tonumber(ARGV[4])
local function take(slot)
  local taken = math.min(slot[2], left)
  if taken <= 0 then return end
  slot[2] = slot[2] - taken
  left = left - taken
  if slot[2] <= 0 then
    redis.call('HDEL', key, field(slot[1]))
  else
    redis.call('HINCRBYFLOAT', key, field(slot[1]), num(-taken))
  end
end
if ARGV[5] ~= '' then
  local start = math.floor(tonumber(ARGV[5]) / slotMs) * slotMs
  for i = 1, #slots do
    if slots[i][1] == start then take(slots[i]) end
  end
else
  for i = #slots, 1, -1 do
    if left <= 0 then break end
    take(slots[i])
  end
end
return 1
`);

/** ARGV: now, windowMs, slotMs. → count, resetAt. */
export const PEEK = new RedisScript(`${LOAD}
return { num(total), num(resetAt()) }
`);
