#include "mysql_url.hpp"

#include <fmt/format.h>

#include <grok2api/plugin.hpp>
#include <optional>

#include "host_port.hpp"
#include "text_codec.hpp"

namespace g2a::storage_mysql {
namespace {

[[noreturn]] void bad(std::string_view why) {
  throw g2a::Error(G2A_BAD_ARGUMENT, fmt::format("storage.database_url: {} (expected "
                                                 "mysql://user:pass@host:port/db)",
                                                 why));
}

// A database name we can put between backticks without quoting anything.
bool is_plain_database_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '$' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void parse_query(std::string_view query, MysqlUrl& out) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    std::size_t eq = item.find('=');
    std::string_view name = item.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : item.substr(eq + 1);
    if (name != "ssl")
      bad(fmt::format("unknown option \"{}\" (only ssl=true|false)", name.substr(0, 32)));
    if (value == "true" || value == "1")
      out.ssl = true;
    else if (value == "false" || value == "0")
      out.ssl = false;
    else
      bad(fmt::format("ssl must be true or false, not \"{}\"", value.substr(0, 16)));
  }
}

}  // namespace

std::string percent_decode(std::string_view text, std::string_view what) {
  std::optional<std::string> decoded = plugin_common::percent_decode_strict(text);
  if (!decoded) bad(fmt::format("bad percent escape in the {}", what));
  return std::move(*decoded);
}

MysqlUrl parse_mysql_url(std::string_view url) {
  constexpr std::string_view kScheme = "mysql://";
  if (url.empty()) bad("empty");
  if (url.substr(0, kScheme.size()) != kScheme) {
    std::size_t colon = url.find("://");
    bad(colon == std::string_view::npos
            ? std::string("no scheme")
            : fmt::format("scheme \"{}\" is not mysql",
                          url.substr(0, std::min<std::size_t>(colon, 16))));
  }
  std::string_view rest = url.substr(kScheme.size());
  MysqlUrl out;

  std::size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    parse_query(rest.substr(q + 1), out);
    rest = rest.substr(0, q);
  }
  if (rest.find('#') != std::string_view::npos) bad("a fragment (#) is not allowed");

  // The authority ends at the first '/' after the last '@' (a database name has no '@'), so
  // a password with an unencoded '/' or '@' still parses.
  std::size_t at = rest.rfind('@');
  std::string_view authority = rest;
  std::string_view path;
  std::size_t slash = rest.find('/', at == std::string_view::npos ? 0 : at + 1);
  if (slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }
  at = authority.rfind('@');
  std::string_view hostport = authority;
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    hostport = authority.substr(at + 1);
    std::size_t colon = userinfo.find(':');
    out.user = percent_decode(userinfo.substr(0, colon), "user name");
    if (colon != std::string_view::npos)
      out.password = percent_decode(userinfo.substr(colon + 1), "password");
  }

  plugin_common::HostPort hp = plugin_common::parse_host_port(hostport);
  if (!hp.problem.empty()) bad(hp.problem);
  for (char c : hp.host)
    if (c == '/' || c == '@' || c == ' ' || c == '%' || static_cast<unsigned char>(c) < 0x21)
      bad("the host contains a character a host name cannot have");
  out.host = std::move(hp.host);
  if (hp.port) out.port = *hp.port;

  if (!path.empty()) {
    std::string db = percent_decode(path, "database name");
    if (!is_plain_database_name(db))
      bad("the database name must be 1 to 64 characters of [A-Za-z0-9_$-]");
    out.database = std::move(db);
  }
  return out;
}

std::string MysqlUrl::endpoint() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

std::string MysqlUrl::describe() const {
  return fmt::format("mysql://{}/{}", endpoint(), database);
}

}  // namespace g2a::storage_mysql
