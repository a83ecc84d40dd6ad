#include "flaresolverr_clearance.hpp"

#include <algorithm>
#include <memory>
#include <string>

#include "solve_answer.hpp"
#include "solve_request.hpp"
#include "solver_config.hpp"

namespace g2a::flaresolverr {
namespace {

// FlareSolverr answers once maxTimeout has passed at the latest; this covers the way back.
constexpr uint32_t kAnswerMargin = 3000;

// One solve in flight: what the HTTP completion needs to answer it.
struct Solve {
  g2a::Host host;
  g2a_clearance_done_fn done;
  void* user;
};

void on_answer(void* self, g2a_status st, const g2a_http_response* resp) {
  std::unique_ptr<Solve> s(static_cast<Solve*>(self));
  if (st != G2A_OK || !resp || resp->status == 0) {
    std::string error = resp ? std::string(g2a::view(resp->error)) : std::string();
    return g2a::fail_clearance(
        s->done, s->user, st == G2A_OK ? G2A_IO_ERROR : st,
        "FlareSolverr unreachable: " + (error.empty() ? "no answer" : error));
  }
  SolveAnswer a = parse_solve_answer(resp->status, g2a::view(resp->body));
  if (!a.solved) return g2a::fail_clearance(s->done, s->user, G2A_IO_ERROR, a.error);
  g2a::ClearanceAnswer answer{a.user_agent, a.cookies, a.expires_ms};
  g2a::complete_clearance(s->done, s->user, answer);
}

}  // namespace

FlareSolverrClearance::FlareSolverrClearance(g2a::Host host) : host_(host) {
  SolverConfig c = parse_solver_config(host_.config_json());  // refuses a broken table now
  if (c.url.empty())
    host_.info("no url configured ([plugins.clearance-flaresolverr] url): every solve fails");
  else
    host_.info("FlareSolverr at " + c.url);
}

void FlareSolverrClearance::solve(const g2a::ClearanceRequest& request, g2a_clearance_done_fn done,
                                  void* user) {
  SolverConfig c;
  std::string body;
  try {
    c = parse_solver_config(host_.config_json());
    uint32_t max_timeout =
        request.timeout_ms ? std::min(c.max_timeout_ms, request.timeout_ms) : c.max_timeout_ms;
    c.max_timeout_ms = std::max<uint32_t>(1000, max_timeout);
    body = build_solve_body(request.url, request.proxy_url, c.max_timeout_ms);
  } catch (const std::exception& e) {
    return g2a::fail_clearance(done, user, G2A_BAD_ARGUMENT,
                               std::string("clearance-flaresolverr: ") + e.what());
  }
  if (c.url.empty())
    return g2a::fail_clearance(
        done, user, G2A_UNSUPPORTED,
        "clearance-flaresolverr has no url ([plugins.clearance-flaresolverr] url = "
        "\"http://127.0.0.1:8191/v1\")");
  auto solve = std::make_unique<Solve>(Solve{host_, done, user});
  g2a_http_header type{g2a::str("Content-Type"), g2a::str("application/json")};
  g2a_http_request req{sizeof(g2a_http_request),
                       g2a::str("POST"),
                       g2a::str(c.url),
                       &type,
                       1,
                       g2a::str(body),
                       c.max_timeout_ms + kAnswerMargin,
                       g2a::str("")};  // direct: the solver itself goes through the proxy
  g2a_status st = host_.raw()->http_request(host_.ctx(), &req, &on_answer, solve.get(), nullptr);
  if (st != G2A_OK)
    return g2a::fail_clearance(done, user, st,
                               "clearance-flaresolverr: the request could not start (status " +
                                   std::to_string(static_cast<int>(st)) + ")");
  solve.release();  // on_answer owns it now
}

}  // namespace g2a::flaresolverr
