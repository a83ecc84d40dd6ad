// FlareSolverr's answers read: the solution's User-Agent and Cloudflare cookies (and nothing
// else), cf_clearance's expiry, and the service's own words when it fails.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "solve_answer.hpp"

namespace g2a::flaresolverr {
namespace {

using Cookies = std::vector<std::pair<std::string, std::string>>;

TEST(SolveAnswer, SolutionGivesTheUserAgentAndOnlyCloudflareCookies) {
  auto a = parse_solve_answer(200, R"({"status":"ok","message":"Challenge solved!",
    "solution":{"url":"https://grok.com/","status":200,"userAgent":"Mozilla/5.0 Chrome/142",
      "cookies":[
        {"name":"cf_clearance","value":"cv","domain":".grok.com","expires":1900000000.25},
        {"name":"__cf_bm","value":"bm","expires":1700001800},
        {"name":"_cfuvid","value":"uv","expires":-1},
        {"name":"cf_chl_rc_m","value":"1"},
        {"name":"sso","value":"must-not-leak"},
        {"name":"_ga","value":"x"}]},
    "startTimestamp":1,"endTimestamp":2,"version":"3.3.21"})");
  ASSERT_TRUE(a.solved) << a.error;
  EXPECT_EQ(a.user_agent, "Mozilla/5.0 Chrome/142");
  EXPECT_EQ(
      a.cookies,
      (Cookies{
          {"cf_clearance", "cv"}, {"__cf_bm", "bm"}, {"_cfuvid", "uv"}, {"cf_chl_rc_m", "1"}}));
  EXPECT_EQ(a.expires_ms, 1900000000250);
}

TEST(SolveAnswer, FailuresCarryFlareSolverrsMessage) {
  auto timeout = parse_solve_answer(
      500,
      R"({"status":"error","message":"Error: Error solving the challenge. Timeout after 60.0 seconds.","startTimestamp":1,"endTimestamp":2})");
  EXPECT_FALSE(timeout.solved);
  EXPECT_EQ(
      timeout.error,
      "FlareSolverr: Error: Error solving the challenge. Timeout after 60.0 seconds. (HTTP 500)");

  auto html = parse_solve_answer(502, "<html>Bad Gateway</html>");
  EXPECT_EQ(html.error, "FlareSolverr answered HTTP 502");
  EXPECT_EQ(parse_solve_answer(200, "not json").error,
            "FlareSolverr's answer is not a JSON object");
  EXPECT_EQ(parse_solve_answer(200, R"({"status":"ok"})").error,
            "FlareSolverr's answer has no solution");
  EXPECT_EQ(parse_solve_answer(200, R"({"status":"warning"})").error,
            "FlareSolverr: status 'warning'");
}

TEST(SolveAnswer, AChallengePageWithoutClearanceIsNotASolve) {
  auto a = parse_solve_answer(
      200,
      R"({"status":"ok","solution":{"status":403,"userAgent":"UA","cookies":[{"name":"__cf_bm","value":"b"}]}})");
  EXPECT_FALSE(a.solved);
  EXPECT_NE(a.error.find("did not get past the challenge"), std::string::npos) << a.error;
  // A page that was never challenged is fine without cf_clearance: the UA still counts.
  auto plain = parse_solve_answer(
      200, R"({"status":"ok","solution":{"status":200,"userAgent":"UA","cookies":[]}})");
  EXPECT_TRUE(plain.solved);
  EXPECT_EQ(plain.expires_ms, 0);
}

}  // namespace
}  // namespace g2a::flaresolverr
