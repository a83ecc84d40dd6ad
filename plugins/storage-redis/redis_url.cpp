#include "redis_url.hpp"

#include <fmt/format.h>

#include <charconv>
#include <grok2api/plugin.hpp>

#include "host_port.hpp"
#include "text_codec.hpp"

namespace g2a::storage_redis {
namespace {

[[noreturn]] void bad_url(std::string_view why) {
  throw g2a::Error(G2A_BAD_ARGUMENT, fmt::format("storage.database_url: {} (expected "
                                                 "redis://[[user]:password@]host[:port][/db])",
                                                 why));
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

void parse_userinfo(std::string_view info, RedisTarget& t) {
  auto colon = info.find(':');
  if (colon == std::string_view::npos)
    bad_url(
        "the part before '@' has no ':'; write redis://:PASSWORD@host or "
        "redis://USER:PASSWORD@host");
  t.user = plugin_common::percent_decode(info.substr(0, colon));
  t.password = plugin_common::percent_decode(info.substr(colon + 1));
  if (t.password.empty() && !t.user.empty()) bad_url("a user name needs a password");
}

}  // namespace

std::string RedisTarget::endpoint() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

std::string RedisTarget::display() const {
  return fmt::format("redis://{}/{}", endpoint(), db);
}

RedisTarget parse_redis_url(std::string_view url) {
  if (url.empty()) bad_url("empty");
  if (url.rfind("rediss://", 0) == 0)
    throw g2a::Error(G2A_BAD_ARGUMENT,
                     "storage.database_url: rediss:// (Redis over TLS) is not supported: the "
                     "hiredis 0.14 client has no TLS. Use redis:// on a trusted network, or a "
                     "local TLS tunnel (stunnel, spiped) and point redis:// at it");
  constexpr std::string_view kScheme = "redis://";
  if (url.rfind(kScheme, 0) != 0) {
    auto sep = url.find("://");
    bad_url(sep == std::string_view::npos ? std::string("no redis:// scheme")
                                          : fmt::format("scheme \"{}\" is not redis",
                                                        url.substr(0, std::min<size_t>(sep, 20))));
  }
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos)
    bad_url("query parameters and fragments are not supported");
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);

  RedisTarget t;
  // The last '@' ends the userinfo: an unencoded '@' in a password still parses.
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    parse_userinfo(authority.substr(0, at), t);
    authority = authority.substr(at + 1);
  }
  plugin_common::HostPort hp = plugin_common::parse_host_port(authority);
  if (!hp.problem.empty()) bad_url(hp.problem);
  t.host = std::move(hp.host);
  if (hp.port) t.port = *hp.port;
  if (!path.empty() && !parse_number(path, t.db))
    bad_url(fmt::format("database \"{}\" is not a number", path.substr(0, 20)));
  if (t.db < 0) bad_url("a negative database number");
  return t;
}

}  // namespace g2a::storage_redis
