// The host[:port] part of a URL's authority (what follows the userinfo's '@'): a host name,
// an IPv4 address or an IPv6 address in brackets, and an optional port. The storage plugins'
// database_url parsers share it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace g2a::plugin_common {

struct HostPort {
  std::string host;              // without the brackets of an IPv6 address
  std::optional<uint16_t> port;  // none when the authority names no port
  // What is wrong ("no host", "empty port", ...), for the caller's error message; empty
  // when the authority parsed. Never contains more of the input than the port's first 20
  // characters.
  std::string problem;
};

// "host", "host:port", "[v6]" or "[v6]:port". The port is 1 to 65535; an IPv6 address must
// be in brackets. The host's characters are not checked beyond that.
HostPort parse_host_port(std::string_view authority);

}  // namespace g2a::plugin_common
