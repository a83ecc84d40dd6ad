// The plugin's config table: {"database_url": ..., "pool_size": N} as the host fills it
// from storage.database_url and server.blocking_threads, plus optional timeouts.
#pragma once

#include <cstdint>
#include <string_view>

#include "redis_url.hpp"

namespace g2a::storage_redis {

struct RedisOptions {
  RedisTarget target;
  unsigned pool_size = 4;               // connections, one per concurrent call
  uint32_t connect_timeout_ms = 3000;   // per connection attempt
  uint32_t command_timeout_ms = 15000;  // per command (log scans of a big log take a while)
  uint32_t ping_timeout_ms = 2000;      // ping's own connection: /health must answer quickly
};

// Throws g2a::Error(G2A_BAD_ARGUMENT) naming the key (never the URL's password).
RedisOptions parse_redis_options(std::string_view config_json);

}  // namespace g2a::storage_redis
