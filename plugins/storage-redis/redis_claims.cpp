#include "redis_claims.hpp"

#include <hiredis/hiredis.h>

#include <string>

#include "lua_script.hpp"
#include "redis_keys.hpp"

namespace g2a::storage_redis {
namespace {

// KEYS[1] the claim; ARGV owner, lease_ms. 1 when owner holds it afterwards. A lease of 0
// ends at once (storage-file's claim then holds until "now"): the key is removed.
const LuaScript& renew_script() {
  static const LuaScript script("claim_renew", R"lua(
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
)lua");
  return script;
}

const LuaScript& release_script() {
  static const LuaScript script("claim_release", R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua");
  return script;
}

}  // namespace

bool RedisClaims::claim(std::string_view name, std::string_view owner, uint32_t lease_ms) {
  if (name.empty() || owner.empty())
    throw g2a::Error(G2A_BAD_ARGUMENT, "claim: name and owner must not be empty");
  std::string key = claim_key(name), lease = std::to_string(lease_ms);
  // Taking a free claim or renewing one's own is the same on a resend: safe to retry.
  return pool_.run("claim", Retry::kOnce, [&](RedisConnection& c) {
    if (lease_ms > 0) {
      Reply r = c.call({"SET", key, owner, "NX", "PX", lease}, "SET NX PX");
      if (r->type == REDIS_REPLY_STATUS) return true;  // OK: it was free
    }
    Reply r = renew_script().run(c, {key}, {owner, lease});
    return reply_integer(c, r.get(), "script claim_renew") == 1;
  });
}

void RedisClaims::release(std::string_view name, std::string_view owner) {
  std::string key = claim_key(name);
  pool_.run("script claim_release", Retry::kOnce, [&](RedisConnection& c) {
    Reply r = release_script().run(c, {key}, {owner});
    reply_integer(c, r.get(), "script claim_release");
  });
}

}  // namespace g2a::storage_redis
