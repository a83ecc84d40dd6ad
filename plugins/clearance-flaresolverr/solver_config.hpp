// The plugin's config ([plugins.clearance-flaresolverr]).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace g2a::flaresolverr {

struct SolverConfig {
  std::string url;                  // the FlareSolverr endpoint, e.g. http://127.0.0.1:8191/v1
  uint32_t max_timeout_ms = 60000;  // FlareSolverr's maxTimeout for one solve
};

// From the config table's JSON. Throws std::invalid_argument naming the key when a value has
// the wrong type or url is not http(s)://.
SolverConfig parse_solver_config(std::string_view json);

}  // namespace g2a::flaresolverr
