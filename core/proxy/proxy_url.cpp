#include "core/proxy/proxy_url.hpp"

#include <cctype>
#include <charconv>

#include "core/config/ascii_text.hpp"

namespace g2a::proxy {
using config::lower;
using config::trim;

bool valid_host_port(std::string_view hostport, bool need_port) {
  std::string_view host = hostport, port;
  if (!hostport.empty() && hostport.front() == '[') {  // [IPv6]:port
    auto close = hostport.find(']');
    if (close == std::string_view::npos) return false;
    host = hostport.substr(1, close - 1);
    for (char c : host) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    auto rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
      if (port.empty()) return false;
    }
  } else {
    auto colon = hostport.rfind(':');
    if (colon != std::string_view::npos) {
      host = hostport.substr(0, colon);
      port = hostport.substr(colon + 1);
      if (port.empty()) return false;
    }
    for (char c : host) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
        return false;
    }
  }
  if (host.empty()) return false;
  if (port.empty()) return !need_port;
  unsigned n = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
  return ec == std::errc() && end == port.data() + port.size() && n >= 1 && n <= 65535;
}

bool normalise_proxy_url(std::string& url) {
  std::string_view s = trim(url);
  if (s.empty()) {
    url.clear();
    return true;
  }
  std::string scheme = "http";
  std::string_view rest = s;
  bool bare = true;
  if (auto sep = s.find("://"); sep != std::string_view::npos) {
    scheme = lower(s.substr(0, sep));
    rest = s.substr(sep + 3);
    bare = false;
  }
  if (scheme == "sock5" || scheme == "socks5") scheme = "socks5h";
  if (scheme == "sock5h") scheme = "socks5h";
  if (scheme != "http" && scheme != "https" && scheme != "socks5h") return false;
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?# \t\r\n") != std::string_view::npos) return false;
  for (char c : rest) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  auto at = rest.rfind('@');
  std::string_view hostport = at == std::string_view::npos ? rest : rest.substr(at + 1);
  if (at == 0) return false;  // "@host" has an empty user
  if (!valid_host_port(hostport, bare)) return false;
  url = scheme + "://" + std::string(rest);
  return true;
}

std::optional<std::string> proxy_url_of(std::string_view url) {
  std::string out(url);
  if (!normalise_proxy_url(out) || out.empty()) return std::nullopt;
  return out;
}

}  // namespace g2a::proxy
