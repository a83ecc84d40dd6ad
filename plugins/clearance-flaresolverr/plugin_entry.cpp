// The clearance-flaresolverr plugin's C entry point.
#include "flaresolverr_clearance.hpp"

G2A_DECLARE_PLUGIN(g2a::flaresolverr::FlareSolverrClearance, "clearance-flaresolverr", "1.0.0",
                   "grok2api",
                   "Solves Cloudflare challenges through a FlareSolverr-compatible service",
                   G2A_FLAG_THREAD_SAFE)
