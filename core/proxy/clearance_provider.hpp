// Who obtains Cloudflare clearance for an egress: a clearance-provider plugin
// (g2a_clearance_v1, e.g. a FlareSolverr-compatible service) seen through this interface.
// grok.com binds cf_clearance to IP, TLS and User-Agent, so a solve is made through the
// egress's own proxy and its answer (cookies and the solver's User-Agent) belongs to that
// egress only.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <boost/asio/awaitable.hpp>

namespace g2a::proxy {

struct ClearanceRequest {
  std::string url;          // the page that answered with a challenge (e.g. https://grok.com/)
  std::string proxy_url;    // the egress's proxy; "" = direct
  std::string user_agent;   // the egress's current User-Agent (a solver may replace it)
  uint32_t timeout_ms = 0;  // how long to wait for the solve; 0 = the provider's default
};

struct Clearance {
  std::string user_agent;                      // the User-Agent the clearance is bound to
  std::map<std::string, std::string> cookies;  // cf_clearance, __cf_bm, ... (name -> value)
  int64_t expires_ms = 0;                      // 0 = unknown
};

class ClearanceProvider {
 public:
  virtual ~ClearanceProvider() = default;
  virtual const std::string& id() const = 0;
  // Solves the challenge. Throws std::runtime_error with the provider's message on failure.
  // Never blocks the calling thread.
  virtual boost::asio::awaitable<Clearance> solve(ClearanceRequest request) = 0;
};

}  // namespace g2a::proxy
