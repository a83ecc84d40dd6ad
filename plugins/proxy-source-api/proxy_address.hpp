// One proxy as a proxy-pool API names it: read from text ("host:port", "scheme://user:pass@
// host:port", "host:port:user:pass") or built from parts, and written back as the URL the
// gateway's pool takes (scheme://[user:pass@]host:port, credentials percent-encoded).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace g2a::proxy_source_api {

struct ProxyAddress {
  std::string scheme = "http";  // http, https, socks5 or socks5h
  std::string host;             // a name, an IPv4 address or a bracketed IPv6 address
  unsigned port = 0;            // 1..65535
  std::string user, pass;       // decoded; empty user = no credentials
  bool operator==(const ProxyAddress&) const = default;
};

// The scheme the pool knows for a scheme or type name as APIs spell it ("HTTP", "sock5",
// "socks5h", "socks"), or nullopt for one it cannot use.
std::optional<std::string> known_scheme(std::string_view name);

// Reads one proxy from text; nullopt with *why set when it is not one (why names the
// problem, never the text, which may hold credentials).
std::optional<ProxyAddress> parse_proxy_text(std::string_view text, std::string* why);

// Checks host and port and leaves a valid address; *why says what is wrong otherwise.
bool valid_address(const ProxyAddress& a, std::string* why);

// scheme://[user[:pass]@]host:port with user and pass percent-encoded.
std::string to_url(const ProxyAddress& a);

}  // namespace g2a::proxy_source_api
