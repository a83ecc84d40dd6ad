#include "proxy_address.hpp"

#include "text_codec.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace g2a::proxy_source_api {
namespace {

using plugin_common::percent_decode;
using plugin_common::percent_encode;
using plugin_common::trim;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<unsigned> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v == 0 || v > 65535) return std::nullopt;
  return v;
}

bool fail(std::string* why, const char* what) {
  if (why) *why = what;
  return false;
}

// host:port or [v6]:port into a.
bool split_host_port(std::string_view hp, ProxyAddress& a, std::string* why) {
  size_t colon;
  if (!hp.empty() && hp.front() == '[') {
    size_t close = hp.find(']');
    if (close == std::string_view::npos) return fail(why, "an IPv6 address lacks its ']'");
    if (close + 1 >= hp.size() || hp[close + 1] != ':') return fail(why, "the port is missing");
    colon = close + 1;
  } else {
    colon = hp.rfind(':');
    if (colon == std::string_view::npos) return fail(why, "the port is missing");
  }
  auto port = parse_port(hp.substr(colon + 1));
  if (!port) return fail(why, "the port is not a number from 1 to 65535");
  a.host = lower(hp.substr(0, colon));
  a.port = *port;
  return valid_address(a, why);
}

}  // namespace

std::optional<std::string> known_scheme(std::string_view name) {
  std::string s = lower(trim(name));
  if (s == "http" || s == "https" || s == "socks5" || s == "socks5h") return s;
  // The misspellings the Pro service normalised, and plain "socks".
  if (s == "sock5" || s == "socks") return std::string("socks5");
  if (s == "sock5h") return std::string("socks5h");
  return std::nullopt;
}

bool valid_address(const ProxyAddress& a, std::string* why) {
  if (!known_scheme(a.scheme)) return fail(why, "the scheme is not http, https, socks5 or socks5h");
  if (a.port == 0 || a.port > 65535) return fail(why, "the port is not a number from 1 to 65535");
  std::string_view h = a.host;
  if (h.empty()) return fail(why, "the host is empty");
  if (h.front() == '[') {
    if (h.size() < 3 || h.back() != ']') return fail(why, "an IPv6 address lacks its ']'");
    for (char c : h.substr(1, h.size() - 2))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.')
        return fail(why, "the IPv6 address holds a character it cannot");
    return true;
  }
  if (h.size() > 253) return fail(why, "the host name is too long");
  for (char c : h)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_')
      return fail(why, "the host holds a character a host name cannot");
  return true;
}

std::optional<ProxyAddress> parse_proxy_text(std::string_view text, std::string* why) {
  std::string_view s = trim(text);
  ProxyAddress a;
  if (s.empty()) {
    fail(why, "it is empty");
    return std::nullopt;
  }
  size_t sep = s.find("://");
  if (sep != std::string_view::npos) {
    auto scheme = known_scheme(s.substr(0, sep));
    if (!scheme) {
      fail(why, "the scheme is not http, https, socks5 or socks5h");
      return std::nullopt;
    }
    a.scheme = *scheme;
    s.remove_prefix(sep + 3);
  } else if (std::count(s.begin(), s.end(), ':') == 3 && s.find('@') == std::string_view::npos &&
             s.find('[') == std::string_view::npos) {
    // host:port:user:pass, as proxy sellers list them.
    size_t c2 = s.find(':', s.find(':') + 1), c3 = s.find(':', c2 + 1);
    a.user = std::string(s.substr(c2 + 1, c3 - c2 - 1));
    a.pass = std::string(s.substr(c3 + 1));
    if (a.user.empty()) {
      fail(why, "the user name is empty");
      return std::nullopt;
    }
    if (!split_host_port(s.substr(0, c2), a, why)) return std::nullopt;
    return a;
  }
  // A trailing "/" is all the path a proxy URL may have.
  if (!s.empty() && s.back() == '/') s.remove_suffix(1);
  if (s.find_first_of("/?#") != std::string_view::npos) {
    fail(why, "a proxy URL has no path, query or fragment");
    return std::nullopt;
  }
  size_t at = s.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = s.substr(0, at);
    size_t colon = userinfo.find(':');
    a.user = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) a.pass = percent_decode(userinfo.substr(colon + 1));
    if (a.user.empty()) {
      fail(why, "the user name is empty");
      return std::nullopt;
    }
    s.remove_prefix(at + 1);
  }
  if (!split_host_port(s, a, why)) return std::nullopt;
  return a;
}

std::string to_url(const ProxyAddress& a) {
  std::string out = a.scheme + "://";
  if (!a.user.empty()) {
    out += percent_encode(a.user);
    if (!a.pass.empty()) out += ":" + percent_encode(a.pass);
    out += "@";
  }
  out += a.host + ":" + std::to_string(a.port);
  return out;
}

}  // namespace g2a::proxy_source_api
