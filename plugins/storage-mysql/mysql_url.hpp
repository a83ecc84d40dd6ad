// The plugin's database_url: mysql://user:pass@host:port/db[?ssl=true].
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace g2a::storage_mysql {

struct MysqlUrl {
  std::string user;      // percent-decoded; empty = the client library's default
  std::string password;  // percent-decoded; never printed
  std::string host;      // without IPv6 brackets
  uint16_t port = 3306;
  std::string database = "grok2api";
  bool ssl = false;  // ?ssl=true: refuse a connection without TLS

  // "host:port" ("[::1]:port" for IPv6), for messages.
  std::string endpoint() const;
  // "mysql://host:port/db": what describe() returns, no credentials.
  std::string describe() const;
};

// Throws g2a::Error(G2A_BAD_ARGUMENT) with a message that says what is wrong and never
// contains the password.
MysqlUrl parse_mysql_url(std::string_view url);

// Decodes %XX escapes; throws g2a::Error(G2A_BAD_ARGUMENT) naming `what` on a bad escape.
std::string percent_decode(std::string_view text, std::string_view what);

}  // namespace g2a::storage_mysql
