#include "solver_config.hpp"

#include "config_reader.hpp"

namespace g2a::flaresolverr {

SolverConfig parse_solver_config(std::string_view text) {
  plugin_common::ConfigReader config(text);
  SolverConfig c;
  c.url = config.http_url("url");
  c.max_timeout_ms = config.milliseconds("max_timeout_ms", c.max_timeout_ms, 1000, 600000);
  return c;
}

}  // namespace g2a::flaresolverr
