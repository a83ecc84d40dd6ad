// storage.database_url for Redis: redis://[[user]:password@]host[:port][/db]. Pure, so it is
// unit-tested without a server.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace g2a::storage_redis {

struct RedisTarget {
  std::string host;      // without brackets for IPv6
  uint16_t port = 6379;  //
  int db = 0;
  std::string user;      // empty = the default user (AUTH <password>)
  std::string password;  // empty = no AUTH

  // redis://host:port/db, never the credentials: for describe() and messages.
  std::string display() const;
  // host:port (IPv6 in brackets), for error messages.
  std::string endpoint() const;
};

// Throws g2a::Error(G2A_BAD_ARGUMENT) with a message saying what is wrong (never the
// password). rediss:// is refused: hiredis 0.14 has no TLS.
RedisTarget parse_redis_url(std::string_view url);

}  // namespace g2a::storage_redis
