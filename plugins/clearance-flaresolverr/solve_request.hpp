// The body of one FlareSolverr v1 solve:
//   {"cmd":"request.get","url":...,"maxTimeout":...,
//    "proxy":{"url":"scheme://host:port","username":...,"password":...}}
// FlareSolverr takes the proxy's credentials apart from its URL; "proxy" is left out for
// a direct egress.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace g2a::flaresolverr {

struct SolverProxy {
  std::string url;                 // scheme://host:port (socks5h:// becomes socks5://: the browser
                                   // resolves names through a SOCKS5 proxy anyway)
  std::string username, password;  // percent-decoded
};

// The egress's proxy URL split as FlareSolverr wants it; nullopt for "" (direct). Throws
// std::invalid_argument (never naming the credentials) for a URL it cannot read.
std::optional<SolverProxy> split_proxy(std::string_view proxy_url);

std::string build_solve_body(std::string_view page_url, std::string_view proxy_url,
                             uint32_t max_timeout_ms);

}  // namespace g2a::flaresolverr
