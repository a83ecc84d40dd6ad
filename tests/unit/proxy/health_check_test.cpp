// The active health check through real proxies: an unhealthy proxy that reaches the target
// (a local server answering 403, as Cloudflare would) is re-admitted with a
// proxy.recovered event; a dead one stays unhealthy with the reason and the probe's time.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

#include "core/http/server.hpp"
#include "core/proxy/health_check.hpp"
#include "core/proxy/proxy_url.hpp"
#include "core/upstream/http_client.hpp"
#include "pool_env.hpp"
#include "unit/upstream/local_server.hpp"
#include "unit/upstream/proxy_process.hpp"

namespace g2a::proxy {
namespace {
namespace asio = boost::asio;
using g2a::test::ProxyProcess;
using test::PoolEnv;

// A loopback port nothing listens on.
std::string dead_proxy() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  auto port = a.local_endpoint().port();
  a.close();
  return "http://127.0.0.1:" + std::to_string(port);
}

class HealthCheck : public ::testing::TestWithParam<ProxyProcess::Kind> {
 protected:
  void SetUp() override {
    std::string why;
    proxy_ = ProxyProcess::start(GetParam(), &why);
    if (!proxy_) GTEST_SKIP() << why;
    auto router = std::make_shared<http::Router>();
    router->add("GET", "/", [](http::Exchange& ex) -> asio::awaitable<void> {
      co_await ex.send(http::json_response(403, "\"Just a moment...\""));
    });
    server_ = std::make_unique<g2a::test::LocalServer>(server_io_, router);
  }
  void TearDown() override { server_.reset(); }
  asio::io_context server_io_;
  std::unique_ptr<g2a::test::LocalServer> server_;
  std::unique_ptr<ProxyProcess> proxy_;
};

TEST_P(HealthCheck, ReadmitsWhatAnswersAndKeepsWhatDoesNot) {
  PoolEnv env;
  std::string target = server_->url("/");
  std::string dead = dead_proxy();
  std::string live = *proxy_url_of(proxy_->url());
  env.set([&](config::Settings& s) {
    s.grok.proxy_urls = {live, dead};
    s.grok.proxy_health_url = target;
  });
  auto& pool = env.make();
  pool.load();
  // More dead proxies than one batch of parallel probes (8), with credentials.
  std::vector<std::string> more_dead;
  for (int i = 0; i < 9; ++i) {
    more_dead.push_back("http://user" + std::to_string(i) + ":pw-secret@" + dead.substr(7));
    pool.add(more_dead.back(), "admin");
  }
  std::vector<std::string> all = {live, dead};
  all.insert(all.end(), more_dead.begin(), more_dead.end());
  for (const auto& p : all)
    for (int i = 0; i < 3; ++i) pool.failed(p, "connection refused");
  ASSERT_EQ(pool.unhealthy().size(), 11u);
  upstream::HttpClient http(env.io);
  HealthChecker checker(
      env.io.get_executor(), pool, http, [&env] { return env.settings(); },
      std::chrono::seconds(5));
  EXPECT_EQ(env.run(checker.check_once()), 1u);
  EXPECT_EQ(pool.unhealthy().size(), 10u);
  EXPECT_EQ(pool.unhealthy().at(0), dead);
  auto listed = pool.list();
  for (const auto& p : listed) EXPECT_EQ(p.last_error.find("pw-secret"), std::string::npos);
  EXPECT_TRUE(listed[0].healthy);
  EXPECT_EQ(listed[0].fail_count, 0);
  EXPECT_EQ(listed[0].last_check, env.now_ms.load());
  EXPECT_FALSE(listed[1].healthy);
  EXPECT_FALSE(listed[1].last_error.empty());
  EXPECT_EQ(listed[1].last_check, env.now_ms.load());
  auto events = env.events();
  ASSERT_EQ(events.size(), 12u);  // eleven unhealthy, one recovered
  EXPECT_EQ(events.back().event, "proxy.recovered");
  EXPECT_EQ(events.back().proxy, live);

  // The admin test's probe: status, time and a note.
  auto r = env.run(probe(http, target, pool.egress_of(live), std::chrono::seconds(5)));
  EXPECT_TRUE(r.reachable);
  EXPECT_EQ(r.status_code, 403);
  EXPECT_GT(r.response_time, 0.0);
  EXPECT_NE(r.note.find("Cloudflare"), std::string::npos);
  auto d = env.run(probe(http, target, pool.egress_of(dead), std::chrono::seconds(5)));
  EXPECT_FALSE(d.reachable);
  EXPECT_EQ(d.status_code, 0);
  asio::post(http.driver().strand(), asio::use_future).get();
}

INSTANTIATE_TEST_SUITE_P(Proxies, HealthCheck,
                         ::testing::Values(ProxyProcess::Kind::kTinyproxy,
                                           ProxyProcess::Kind::kMicrosocks),
                         [](const auto& info) {
                           return info.param == ProxyProcess::Kind::kTinyproxy
                                      ? std::string("tinyproxy")
                                      : std::string("microsocks");
                         });

}  // namespace
}  // namespace g2a::proxy
