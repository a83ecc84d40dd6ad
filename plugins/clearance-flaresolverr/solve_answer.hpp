// FlareSolverr's answer to a solve, read: {"status":"ok","message":...,"solution":{
// "userAgent":...,"cookies":[{"name","value","expires",...}],"status":200,...}} on success,
// {"status":"error","message":...} (often with HTTP 500) on failure. Only Cloudflare's
// cookies are kept. The answer comes from the network: any bytes are read safely (fuzz/).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace g2a::flaresolverr {

struct SolveAnswer {
  bool solved = false;
  std::string error;  // why not, for operators, when !solved
  std::string user_agent;
  std::vector<std::pair<std::string, std::string>> cookies;  // name, value
  int64_t expires_ms = 0;  // cf_clearance's expiry (ms since the epoch); 0 = unknown
};

// True for the cookies worth keeping: cf_clearance, __cf_bm, _cfuvid, cf_chl_*.
bool is_cloudflare_cookie(std::string_view name);

SolveAnswer parse_solve_answer(int http_status, std::string_view body);

}  // namespace g2a::flaresolverr
