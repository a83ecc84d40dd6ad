// The clearance-flaresolverr plugin: solves a Cloudflare challenge by asking a
// FlareSolverr-compatible service (v1 API) to load the page through the egress's own proxy,
// and answers with the browser's User-Agent and Cloudflare cookies.
#pragma once

#include <grok2api/plugin.hpp>

namespace g2a::flaresolverr {

class FlareSolverrClearance : public g2a::ClearanceProvider {
 public:
  explicit FlareSolverrClearance(g2a::Host host);
  // Reads the config at every solve.
  void solve(const g2a::ClearanceRequest& request, g2a_clearance_done_fn done, void* user) override;

 private:
  g2a::Host host_;
};

}  // namespace g2a::flaresolverr
