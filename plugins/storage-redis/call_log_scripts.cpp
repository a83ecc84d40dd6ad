#include "call_log_scripts.hpp"

namespace g2a::storage_redis {
namespace {

// Shared by the filtering scripts. A filter is ARGV[1..5]: min and max score ("-inf",
// "+inf" when unbounded), success ("-1" any, "0", "1"), and the sso and model needles,
// already lower-cased ("" = no constraint). Values are matched once per distinct value,
// like storage-file's interned columns.
constexpr const char* kFilterPrelude = R"lua(
local f_min, f_max, f_success, f_sso, f_model = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local by_text = f_sso ~= '' or f_model ~= ''

-- seq, success char, response time text, model, lower-cased sso
local function decode(m)
  local semi = string.find(m, ';', 18, true)
  local colon = string.find(m, ':', semi + 1, true)
  local len = tonumber(string.sub(m, semi + 1, colon - 1))
  return string.sub(m, 1, 16), string.sub(m, 17, 17), string.sub(m, 18, semi - 1),
         string.sub(m, colon + 1, colon + len), string.sub(m, colon + len + 1)
end

-- ASCII only, whatever the server's locale (storage-file lowers the same way).
local function lower(s)
  return (string.gsub(s, '[A-Z]', function(c) return string.char(string.byte(c) + 32) end))
end

local sso_hit, model_hit = {}, {}
local function matches(m)
  local _, ok, _, model, sso = decode(m)
  if f_success ~= '-1' and ok ~= f_success then return false end
  if f_sso ~= '' then
    local hit = sso_hit[sso]
    if hit == nil then
      hit = string.find(sso, f_sso, 1, true) ~= nil
      sso_hit[sso] = hit
    end
    if not hit then return false end
  end
  if f_model ~= '' then
    local hit = model_hit[model]
    if hit == nil then
      hit = string.find(lower(model), f_model, 1, true) ~= nil
      model_hit[model] = hit
    end
    if not hit then return false end
  end
  return true
end

-- The ranks [lo, hi) of key's members inside the time bounds.
local function rank_range(key)
  local lo = 0
  if f_min ~= '-inf' then lo = redis.call('ZCOUNT', key, '-inf', '(' .. f_min) end
  local hi
  if f_max == '+inf' then hi = redis.call('ZCARD', key)
  else hi = redis.call('ZCOUNT', key, '-inf', f_max) end
  if hi < lo then hi = lo end
  return lo, hi
end

local CHUNK = 512
)lua";

constexpr const char* kAppend = R"lua(
if not redis.call('SET', KEYS[6], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local n = (#ARGV - 1) / 4
local seq = redis.call('INCRBY', KEYS[1], n) - n
for i = 0, n - 1 do
  local b = 2 + i * 4
  seq = seq + 1
  local id = string.format('%016x', seq)
  local member = id .. ARGV[b + 1]
  redis.call('ZADD', KEYS[2], ARGV[b], member)
  if string.sub(ARGV[b + 1], 1, 1) == '0' then redis.call('ZADD', KEYS[3], ARGV[b], member) end
  redis.call('HSET', KEYS[4], id, ARGV[b + 3])
  redis.call('HINCRBY', KEYS[5], ARGV[b + 2], 1)
end
return n
)lua";

constexpr const char* kQuery = R"lua(
local offset, limit = tonumber(ARGV[6]), tonumber(ARGV[7])
local seqs = {}
local total = 0
if not by_text and f_success ~= '1' then
  -- A sorted set is the answer: count it and take the page by rank.
  local key = KEYS[1]
  if f_success == '0' then key = KEYS[2] end
  local lo, hi = rank_range(key)
  total = hi - lo
  local top = hi - 1 - offset
  local bottom = math.max(lo, top - limit + 1)
  while top >= bottom do
    local from = math.max(bottom, top - CHUNK + 1)
    local ms = redis.call('ZRANGE', key, from, top)
    for i = #ms, 1, -1 do seqs[#seqs + 1] = string.sub(ms[i], 1, 16) end
    top = from - 1
  end
else
  -- Scan newest first; with only a success filter the total is known from the counts, so
  -- the scan stops at the page's end.
  local known
  if not by_text then
    local lo, hi = rank_range(KEYS[1])
    local flo, fhi = rank_range(KEYS[2])
    known = (hi - lo) - (fhi - flo)
  end
  local lo, hi = rank_range(KEYS[1])
  local top = hi - 1
  local need = offset + limit
  while top >= lo do
    local from = math.max(lo, top - CHUNK + 1)
    local ms = redis.call('ZRANGE', KEYS[1], from, top)
    for i = #ms, 1, -1 do
      if matches(ms[i]) then
        if total >= offset and #seqs < limit then seqs[#seqs + 1] = string.sub(ms[i], 1, 16) end
        total = total + 1
      end
    end
    if known and total >= need then break end
    top = from - 1
  end
  if known then total = known end
end
local out = {total}
for i = 1, #seqs, CHUNK do
  local part = {}
  for j = i, math.min(#seqs, i + CHUNK - 1) do part[#part + 1] = seqs[j] end
  local recs = redis.call('HMGET', KEYS[3], unpack(part))
  for j = 1, #recs do out[#out + 1] = recs[j] or '' end
end
return out
)lua";

constexpr const char* kStats = R"lua(
local today = ARGV[6]
if not by_text then
  -- Counts only: ZCOUNT on the two sorted sets.
  local t_min = f_min
  if f_min == '-inf' or tonumber(today) > tonumber(f_min) then t_min = today end
  local all = redis.call('ZCOUNT', KEYS[1], f_min, f_max)
  local failed = redis.call('ZCOUNT', KEYS[2], f_min, f_max)
  local all_today = redis.call('ZCOUNT', KEYS[1], t_min, f_max)
  local failed_today = redis.call('ZCOUNT', KEYS[2], t_min, f_max)
  if f_success == '0' then return {failed, 0, failed_today} end
  if f_success == '1' then return {all - failed, all - failed, all_today - failed_today} end
  return {all, all - failed, all_today}
end
local today_n = tonumber(today)
local lo, hi = rank_range(KEYS[1])
local total, ok, in_today = 0, 0, 0
local from = lo
while from < hi do
  local to = math.min(hi - 1, from + CHUNK - 1)
  local ms = redis.call('ZRANGE', KEYS[1], from, to, 'WITHSCORES')
  for i = 1, #ms, 2 do
    if matches(ms[i]) then
      total = total + 1
      if string.sub(ms[i], 17, 17) == '1' then ok = ok + 1 end
      if tonumber(ms[i + 1]) >= today_n then in_today = in_today + 1 end
    end
  end
  from = to + 1
end
return {total, ok, in_today}
)lua";

constexpr const char* kTimeseries = R"lua(
local bucket, offset = tonumber(ARGV[6]), tonumber(ARGV[7])
local out = {}
local start, stop, calls, failures, lat = nil, nil, 0, 0, {}
-- The median; of an even count, the mean of the two middle values.
local function close()
  if start == nil then return end
  local median = 0
  local n = #lat
  if n > 0 then
    table.sort(lat)
    if n % 2 == 1 then median = lat[(n + 1) / 2]
    else median = (lat[n / 2] + lat[n / 2 + 1]) / 2 end
  end
  out[#out + 1] = string.format('%d', start)
  out[#out + 1] = string.format('%d', calls)
  out[#out + 1] = string.format('%d', failures)
  out[#out + 1] = string.format('%.17g', median)
end
local lo, hi = rank_range(KEYS[1])
local from = lo
while from < hi do
  local to = math.min(hi - 1, from + CHUNK - 1)
  local ms = redis.call('ZRANGE', KEYS[1], from, to, 'WITHSCORES')
  for i = 1, #ms, 2 do
    local m = ms[i]
    if (not by_text and f_success == '-1') or matches(m) then
      local ts = tonumber(ms[i + 1])
      if start == nil or ts >= stop then
        close()
        start = math.floor((ts + offset) / bucket) * bucket - offset
        stop = start + bucket
        calls, failures, lat = 0, 0, {}
      end
      calls = calls + 1
      local _, ok, rt = decode(m)
      if ok ~= '1' then failures = failures + 1 end
      if rt ~= '' then lat[#lat + 1] = tonumber(rt) end
    end
  end
  from = to + 1
end
close()
return out
)lua";

constexpr const char* kTrim = R"lua(
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[1])
if excess <= 0 then return 0 end
local done = 0
while done < excess do
  local take = math.min(CHUNK, excess - done)
  local ms = redis.call('ZRANGE', KEYS[1], 0, take - 1)
  local seqs, failed = {}, {}
  for i = 1, #ms do
    local seq, ok, _, model = decode(ms[i])
    seqs[#seqs + 1] = seq
    if ok ~= '1' then failed[#failed + 1] = ms[i] end
    if redis.call('HINCRBY', KEYS[4], model, -1) <= 0 then redis.call('HDEL', KEYS[4], model) end
  end
  redis.call('HDEL', KEYS[3], unpack(seqs))
  if #failed > 0 then redis.call('ZREM', KEYS[2], unpack(failed)) end
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, take - 1)
  done = done + take
end
return excess
)lua";

std::string with_prelude(const char* body) {
  return std::string(kFilterPrelude) + body;
}

}  // namespace

const CallLogScripts& call_log_scripts() {
  static const CallLogScripts scripts{
      LuaScript("log_append", kAppend),
      LuaScript("log_query", with_prelude(kQuery)),
      LuaScript("log_stats", with_prelude(kStats)),
      LuaScript("log_timeseries", with_prelude(kTimeseries)),
      LuaScript("log_trim", with_prelude(kTrim)),
  };
  return scripts;
}

}  // namespace g2a::storage_redis
