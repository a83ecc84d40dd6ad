#include "host_port.hpp"

#include <charconv>

namespace g2a::plugin_common {
namespace {

HostPort refused(std::string problem) {
  HostPort out;
  out.problem = std::move(problem);
  return out;
}

}  // namespace

HostPort parse_host_port(std::string_view authority) {
  HostPort out;
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return refused("unterminated [IPv6] host");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return refused("unexpected text after the [IPv6] host");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    std::size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
      if (!port_text.empty() && out.host.find(':') != std::string::npos)
        return refused("an IPv6 host must be in brackets");
    }
  }
  if (has_port && port_text.empty()) return refused("empty port");
  if (out.host.empty()) return refused("no host");
  if (has_port) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535)
      return refused("port \"" + std::string(port_text.substr(0, 20)) +
                     "\" is not a number from 1 to 65535");
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

}  // namespace g2a::plugin_common
