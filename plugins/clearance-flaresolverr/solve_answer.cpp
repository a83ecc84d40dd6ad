#include "solve_answer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cmath>

namespace g2a::flaresolverr {
namespace {

namespace json = boost::json;

std::string string_at(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// A cookie's "expires" in seconds since the epoch (FlareSolverr gives a float; -1 for a
// session cookie) as ms, or 0.
int64_t expires_ms(const json::object& cookie) {
  auto* v = cookie.if_contains("expires");
  if (!v || !v->is_number()) return 0;
  double s = v->to_number<double>();
  if (!std::isfinite(s) || s <= 0 || s > 1e13) return 0;
  return static_cast<int64_t>(s * 1000);
}

SolveAnswer failed(std::string why) {
  SolveAnswer a;
  a.error = std::move(why);
  return a;
}

}  // namespace

bool is_cloudflare_cookie(std::string_view name) {
  return name == "cf_clearance" || name == "__cf_bm" || name == "_cfuvid" ||
         name.substr(0, 7) == "cf_chl_";
}

SolveAnswer parse_solve_answer(int http_status, std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    if (http_status < 200 || http_status > 299)
      return failed("FlareSolverr answered HTTP " + std::to_string(http_status));
    return failed("FlareSolverr's answer is not a JSON object");
  }
  const auto& o = v.get_object();
  std::string status = string_at(o, "status");
  std::string message = string_at(o, "message");
  if (status != "ok")
    return failed("FlareSolverr: " + (message.empty() ? "status '" + status + "'" : message) +
                  (http_status >= 200 && http_status <= 299
                       ? ""
                       : " (HTTP " + std::to_string(http_status) + ")"));
  auto* solution = o.if_contains("solution");
  if (!solution || !solution->is_object()) return failed("FlareSolverr's answer has no solution");
  const auto& s = solution->get_object();
  SolveAnswer a;
  a.user_agent = string_at(s, "userAgent");
  if (auto* cookies = s.if_contains("cookies"); cookies && cookies->is_array())
    for (const auto& c : cookies->get_array()) {
      if (!c.is_object()) continue;
      std::string name = string_at(c.get_object(), "name");
      if (!is_cloudflare_cookie(name)) continue;
      if (name == "cf_clearance") a.expires_ms = expires_ms(c.get_object());
      a.cookies.emplace_back(std::move(name), string_at(c.get_object(), "value"));
    }
  bool cleared = false;
  for (const auto& [name, value] : a.cookies) cleared |= name == "cf_clearance" && !value.empty();
  auto* page = s.if_contains("status");
  int64_t page_status = page && page->is_int64() ? page->get_int64() : 200;
  if (!cleared && (page_status == 403 || page_status == 503))
    return failed("FlareSolverr did not get past the challenge (the page answered HTTP " +
                  std::to_string(page_status) + " without cf_clearance)");
  a.solved = true;
  return a;
}

}  // namespace g2a::flaresolverr
