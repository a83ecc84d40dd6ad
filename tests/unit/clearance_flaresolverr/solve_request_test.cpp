// The FlareSolverr v1 request: the page, maxTimeout, and the egress's proxy with its
// credentials taken apart as FlareSolverr wants them (none for a direct egress).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <stdexcept>
#include <string>

#include "solve_request.hpp"
#include "solver_config.hpp"

namespace g2a::flaresolverr {
namespace {

namespace json = boost::json;

TEST(SolveRequest, DirectEgressSendsNoProxy) {
  auto body = json::parse(build_solve_body("https://grok.com/", "", 60000)).as_object();
  EXPECT_EQ(
      body,
      (json::object{{"cmd", "request.get"}, {"url", "https://grok.com/"}, {"maxTimeout", 60000}}));
}

TEST(SolveRequest, CredentialsAreSplitOutOfTheProxyUrlAndDecoded) {
  auto body = json::parse(build_solve_body("https://grok.com/",
                                           "http://us%40er:p%3Ass%2Fw@10.0.0.5:3128", 45000))
                  .as_object();
  EXPECT_EQ(body.at("proxy"),
            (json::object{
                {"url", "http://10.0.0.5:3128"}, {"username", "us@er"}, {"password", "p:ss/w"}}));
  EXPECT_EQ(body.at("maxTimeout"), 45000);
}

TEST(SolveRequest, ProxyWithoutCredentialsAndSocksSchemes) {
  auto p = split_proxy("socks5h://10.0.0.6:1080/");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->url, "socks5://10.0.0.6:1080");  // the browser resolves through SOCKS5 anyway
  EXPECT_EQ(p->username, "");
  auto body = json::parse(build_solve_body("https://grok.com/", "https://h:443", 1000)).as_object();
  EXPECT_EQ(body.at("proxy"), (json::object{{"url", "https://h:443"}}));
  EXPECT_FALSE(split_proxy(""));
}

TEST(SolveRequest, AnUnreadableProxyIsRefusedWithoutNamingItsCredentials) {
  try {
    split_proxy("ftp://user:hunter2@h:21");
    FAIL() << "ftp was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "FlareSolverr cannot use a ftp:// proxy");
  }
  EXPECT_THROW(split_proxy("user:hunter2@h:21"), std::invalid_argument);
  EXPECT_THROW(split_proxy("http://user:pw@"), std::invalid_argument);
}

TEST(SolverConfig, DefaultsAndChecks) {
  auto c = parse_solver_config("{}");
  EXPECT_EQ(c.url, "");
  EXPECT_EQ(c.max_timeout_ms, 60000u);
  c = parse_solver_config(R"({"url":"http://127.0.0.1:8191/v1","max_timeout_ms":90000})");
  EXPECT_EQ(c.url, "http://127.0.0.1:8191/v1");
  EXPECT_EQ(c.max_timeout_ms, 90000u);
  EXPECT_THROW(parse_solver_config(R"({"url":"127.0.0.1:8191"})"), std::invalid_argument);
  EXPECT_THROW(parse_solver_config(R"({"max_timeout_ms":"60s"})"), std::invalid_argument);
  EXPECT_THROW(parse_solver_config(R"({"max_timeout_ms":10})"), std::invalid_argument);
}

}  // namespace
}  // namespace g2a::flaresolverr
