// The /api/proxies admin API on the real server: session auth, the Pro shapes with masked
// URLs, add/assign/unassign/delete/reset by full or masked URL, /test through a real proxy
// (microsocks) to a URL set at runtime through /api/settings, and the state saved at
// shutdown in data/proxy_state.json.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <sstream>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_json.hpp"
#include "unit/upstream/proxy_process.hpp"

namespace g2a::test {
namespace {

class ProxyRoutes : public ::testing::Test {
 protected:
  void start(std::map<std::string, std::string> env = {}) {
    server_ = std::make_unique<ServerProcess>(ServerConfig(dir_.str(), "", {}, std::move(env)));
    auto r =
        http_.post_json(server_->url("/api/login"), R"({"username":"admin","password":"admin"})");
    ASSERT_EQ(r.status, 200) << r.body;
    auth_ = {"Authorization: Bearer " + std::string(at(parse_json(r.body), "token").as_string())};
  }
  HttpResult call(const std::string& method, const std::string& path, const std::string& body) {
    return http_.request(method, server_->url(path), body, auth_);
  }
  boost::json::value list() {
    auto r = http_.get(server_->url("/api/proxies"), auth_);
    EXPECT_EQ(r.status, 200) << r.body;
    return parse_json(r.body);
  }
  TempDir dir_;
  HttpClient http_;
  std::unique_ptr<ServerProcess> server_;
  std::vector<std::string> auth_;
};

TEST_F(ProxyRoutes, ListAddAssignDeleteWithMaskedUrls) {
  start({{"GROK2API_GROK_PROXY_URLS", "socks5://10.0.0.1:1080"}});
  EXPECT_EQ(http_.get(server_->url("/api/proxies")).status, 401);

  auto v = list();
  EXPECT_EQ(at(v, "success"), true);
  EXPECT_EQ(at(v, "total"), 1);
  EXPECT_EQ(at(v, "proxies/0/url"), "socks5h://10.0.0.1:1080");
  EXPECT_EQ(at(v, "proxies/0/source"), "settings");
  EXPECT_EQ(at(v, "proxies/0/healthy"), true);
  EXPECT_EQ(at(v, "static_proxy"), "");
  EXPECT_EQ(at(v, "allow_direct"), false);  // auto, with a proxy configured

  auto bad = call("POST", "/api/proxies", R"({"url":"ftp://x:1"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(at(parse_json(bad.body), "success"), false);
  EXPECT_EQ(at(parse_json(bad.body), "error/param"), "url");

  auto add = call("POST", "/api/proxies", R"({"url":"admin-user:s3cret-pw@10.0.0.2:8080"})");
  ASSERT_EQ(add.status, 200) << add.body;
  EXPECT_EQ(add.body.find("s3cret-pw"), std::string::npos);
  v = list();
  EXPECT_EQ(at(v, "total"), 2);
  const std::string masked = "http://admin-user:****@10.0.0.2:8080";
  EXPECT_EQ(at(v, "proxies/1/url"), masked.c_str());
  EXPECT_EQ(at(v, "proxies/1/source"), "admin");

  // The console only sees masked URLs: they name the proxy too.
  auto assign =
      call("POST", "/api/proxies/assign", R"({"proxy_url":")" + masked + R"(","sso":"sso-1"})");
  ASSERT_EQ(assign.status, 200) << assign.body;
  v = list();
  EXPECT_EQ(at(v, "assignments/sso-1"), masked.c_str());
  EXPECT_EQ(at(v, "proxies/1/assigned_sso/0"), "sso-1");
  auto unknown =
      call("POST", "/api/proxies/assign", R"({"proxy_url":"http://9.9.9.9:1","sso":"s"})");
  EXPECT_EQ(unknown.status, 404);
  auto unassign = call("POST", "/api/proxies/unassign", R"({"sso":"sso-1"})");
  EXPECT_EQ(unassign.status, 200);
  EXPECT_EQ(at(list(), "assignments").as_object().size(), 0u);

  auto reset = call("POST", "/api/proxies/health/reset", R"({"url":")" + masked + R"("})");
  EXPECT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(at(list(), "proxies/1/success_requests"), 1);  // Pro's mark_success
  EXPECT_EQ(call("POST", "/api/proxies/health/reset", R"({"url":"http://9.9.9.9:1"})").status, 404);

  auto del = call("DELETE", "/api/proxies", R"({"url":"socks5h://10.0.0.1:1080"})");
  EXPECT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(call("DELETE", "/api/proxies", R"({"url":"socks5h://10.0.0.1:1080"})").status, 404);
  EXPECT_EQ(call("DELETE", "/api/proxies", R"({})").status, 400);
  EXPECT_EQ(at(list(), "total"), 1);

  // Saved at shutdown, in the Pro layout; back after a restart.
  EXPECT_EQ(server_->stop(SIGTERM), 0);
  std::ifstream in(dir_.path() / "data" / "proxy_state.json");
  std::stringstream text;
  text << in.rdbuf();
  auto saved = parse_json(text.str());
  EXPECT_TRUE(
      at(saved, "proxies").as_object().contains("http://admin-user:s3cret-pw@10.0.0.2:8080"))
      << text.str();
  EXPECT_FALSE(at(saved, "proxies").as_object().contains("socks5h://10.0.0.1:1080"));
  start();
  v = list();
  EXPECT_EQ(at(v, "total"), 1);
  EXPECT_EQ(at(v, "proxies/0/url"), masked.c_str());
  EXPECT_EQ(at(v, "allow_direct"), false);
}

TEST_F(ProxyRoutes, TestMeasuresThroughTheProxy) {
  std::string why;
  auto socks = ProxyProcess::start(ProxyProcess::Kind::kMicrosocks, &why);
  if (!socks) GTEST_SKIP() << why;
  start();
  // The probe target, changed at runtime: the gateway's own /health.
  auto set = call("POST", "/api/settings",
                  R"({"grok_config":{"proxy_health_url":")" + server_->url("/health") + R"("}})");
  ASSERT_EQ(set.status, 200) << set.body;
  auto ok = call("POST", "/api/proxies/test", R"({"url":")" + socks->url() + R"("})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto v = parse_json(ok.body);
  EXPECT_EQ(at(v, "success"), true);
  EXPECT_EQ(at(v, "status_code"), 200);
  EXPECT_GT(at(v, "response_time").to_number<double>(), 0.0);
  EXPECT_NE(std::string(at(v, "note").as_string()).find("reachable"), std::string::npos);

  auto dead = call("POST", "/api/proxies/test", R"({"url":"http://127.0.0.1:1"})");
  EXPECT_EQ(dead.status, 502) << dead.body;
  v = parse_json(dead.body);
  EXPECT_EQ(at(v, "success"), false);
  EXPECT_EQ(at(v, "status_code"), 0);
  EXPECT_FALSE(std::string(at(v, "note").as_string()).empty());
  EXPECT_EQ(call("POST", "/api/proxies/test", R"({"url":"nonsense"})").status, 400);
}

}  // namespace
}  // namespace g2a::test
