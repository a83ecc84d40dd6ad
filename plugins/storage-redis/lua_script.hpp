// A Lua script run by the server: EVALSHA by its SHA-1, falling back to EVAL (which also
// caches it) when the server does not know it yet (NOSCRIPT: first use, or a restart).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "redis_connection.hpp"

namespace g2a::storage_redis {

class LuaScript {
 public:
  LuaScript(std::string name, std::string body);

  // The reply; an error reply throws g2a::Error(G2A_IO_ERROR) naming the script.
  Reply run(RedisConnection& c, const std::vector<std::string_view>& keys,
            const std::vector<std::string_view>& args) const;

  const std::string& sha1() const { return sha_; }

 private:
  std::string name_, body_, sha_;
};

// The lower-case hex SHA-1 of text, as SCRIPT LOAD names a script.
std::string sha1_hex(std::string_view text);

}  // namespace g2a::storage_redis
