// The clearance-flaresolverr module loaded through its C ABI, solving against the grok.com
// simulator's FlareSolverr stand-in through a test host whose HTTP service is libcurl, directly
// and through real proxies.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <string>

#include "simulator_process.hpp"
#include "support/loaded_module.hpp"
#include "unit/upstream/proxy_process.hpp"

namespace g2a::test {
namespace {

struct Solved {
  g2a_status status = G2A_INTERNAL;
  std::string message, user_agent;
  std::map<std::string, std::string> cookies;
  int64_t expires_ms = 0;
};

// One instance of the module, created with a config table.
class Provider : public LoadedModule<g2a_clearance_v1> {
 public:
  explicit Provider(const std::string& config)
      : LoadedModule(G2A_CLEARANCE_FLARESOLVERR_MODULE, G2A_KIND_CLEARANCE, config) {}

  Solved solve(const std::string& url, const std::string& proxy, const std::string& ua,
               uint32_t timeout_ms = 0) {
    std::promise<Solved> promise;
    auto future = promise.get_future();
    g2a_clearance_done_fn done = [](void* user, g2a_status st, g2a_str msg,
                                    const g2a_clearance_result* r) {
      Solved s;
      s.status = st;
      s.message.assign(msg.data ? msg.data : "", msg.len);
      if (r) {
        s.user_agent.assign(r->user_agent.data, r->user_agent.len);
        for (size_t i = 0; i < r->cookie_count; ++i)
          s.cookies[std::string(r->cookies[i].name.data, r->cookies[i].name.len)] =
              std::string(r->cookies[i].value.data, r->cookies[i].value.len);
        s.expires_ms = r->expires_ms;
      }
      static_cast<std::promise<Solved>*>(user)->set_value(std::move(s));
    };
    g2a_clearance_request req{sizeof(req),
                              {url.data(), url.size()},
                              {proxy.data(), proxy.size()},
                              {ua.data(), ua.size()},
                              timeout_ms};
    EXPECT_EQ(table()->solve(instance(), &req, done, &promise), G2A_OK);
    EXPECT_EQ(future.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    return future.get();
  }
};

class FlareSolverrModule : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    sim_ = SimulatorProcess::start(&why);
    if (!sim_) GTEST_SKIP() << why;
  }
  std::string solver() const { return sim_->grok() + "/__sim/flaresolverr/v1"; }
  std::unique_ptr<SimulatorProcess> sim_;
};

// The clearance kind came in ABI 1.2; the plugin claims the minor of the header it was built
// with, which may be later.
TEST_F(FlareSolverrModule, DeclaresItselfAClearanceProviderOfAbi12OrLater) {
  Provider p("{}");
  ASSERT_EQ(p.create_status(), G2A_OK) << p.create_error();
  EXPECT_STREQ(p.descriptor().id, "clearance-flaresolverr");
  EXPECT_EQ(p.descriptor().kinds, static_cast<uint32_t>(G2A_KIND_CLEARANCE));
  EXPECT_EQ(p.descriptor().abi_version, uint32_t{G2A_ABI_VERSION});
  EXPECT_GE(G2A_ABI_VERSION_MINOR(p.descriptor().abi_version), 2u);
}

TEST_F(FlareSolverrModule, SolvesThroughTheStandInWithTheSolversUserAgent) {
  sim_->control("cloudflare", R"({"solver_user_agent":"SolverBrowser/142.0","ttl_s":1800})");
  Provider p(R"({"url":")" + solver() + R"(","max_timeout_ms":20000})");
  ASSERT_EQ(p.create_status(), G2A_OK) << p.create_error();
  auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  auto s = p.solve(sim_->grok() + "/", "", "EgressAgent/1.0");
  ASSERT_EQ(s.status, G2A_OK) << s.message;
  EXPECT_EQ(s.user_agent, "SolverBrowser/142.0");  // the solver's UA replaces the egress's
  ASSERT_TRUE(s.cookies.count("cf_clearance"));
  EXPECT_TRUE(s.cookies.count("__cf_bm"));
  EXPECT_EQ(s.cookies.size(), 2u);
  EXPECT_GE(s.expires_ms, before + 1700 * 1000);
  EXPECT_LE(s.expires_ms, before + 1900 * 1000);

  // The stand-in counted the solve.
  auto cf = boost::json::parse(sim_->query("cloudflare")).as_object();
  EXPECT_GE(cf.at("solves").to_number<int64_t>(), 1) << cf;

  auto sent = p.host().sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].url, solver());
  EXPECT_EQ(sent[0].proxy_url, "");               // the solver is reached directly
  EXPECT_EQ(sent[0].timeout_ms, 20000u + 3000u);  // maxTimeout and the way back
}

TEST_F(FlareSolverrModule, TheRequestsTimeoutCapsMaxTimeout) {
  Provider p(R"({"url":")" + solver() + R"("})");
  auto s = p.solve(sim_->grok() + "/", "", "UA", 15000);
  EXPECT_EQ(s.status, G2A_OK) << s.message;
  EXPECT_EQ(p.host().sent().at(0).timeout_ms, 15000u + 3000u);
}

TEST_F(FlareSolverrModule, FlareSolverrErrorsAndAMissingServiceAreClearFailures) {
  Provider p(R"({"url":")" + solver() + R"("})");
  auto bad = p.solve("grok.com", "", "UA");  // the stand-in wants an http(s) URL
  EXPECT_EQ(bad.status, G2A_IO_ERROR);
  // FlareSolverr's own words, with the HTTP 500 it answers errors with.
  EXPECT_NE(bad.message.find("FlareSolverr: Error: Request parameter 'url' is mandatory"),
            std::string::npos)
      << bad.message;
  EXPECT_NE(bad.message.find("(HTTP 500)"), std::string::npos) << bad.message;

  Provider gone(R"({"url":"http://127.0.0.1:1/v1"})");
  auto down = gone.solve("https://grok.com/", "", "UA");
  EXPECT_EQ(down.status, G2A_IO_ERROR);
  EXPECT_NE(down.message.find("FlareSolverr unreachable"), std::string::npos) << down.message;

  Provider none("{}");
  EXPECT_TRUE(none.host().base().logged("no url configured", G2A_LOG_INFO));
  auto unset = none.solve("https://grok.com/", "", "UA");
  EXPECT_EQ(unset.status, G2A_UNSUPPORTED);
  EXPECT_NE(unset.message.find("has no url"), std::string::npos) << unset.message;
  EXPECT_TRUE(none.host().sent().empty());
}

// The stand-in solves through the proxy it is given, as FlareSolverr's browser would: a real
// tinyproxy (HTTP) and microsocks (SOCKS5, sent as socks5:// although the egress says
// socks5h://), and a proxy that is down fails with FlareSolverr's own words.
TEST_F(FlareSolverrModule, SolvesThroughTheEgresssOwnProxy) {
  for (auto kind : {ProxyProcess::Kind::kTinyproxy, ProxyProcess::Kind::kMicrosocks}) {
    std::string why;
    auto proxy = ProxyProcess::start(kind, &why);
    if (!proxy) GTEST_SKIP() << why;
    Provider p(R"({"url":")" + solver() + R"("})");
    auto s = p.solve(sim_->grok() + "/", proxy->url(), "UA");
    ASSERT_EQ(s.status, G2A_OK) << s.message;
    EXPECT_TRUE(s.cookies.count("cf_clearance"));
    auto solved = boost::json::parse(sim_->query("cloudflare")).at("solved").as_array();
    ASSERT_FALSE(solved.empty());
    std::string expected = proxy->url();
    if (expected.rfind("socks5h://", 0) == 0) expected.replace(0, 7, "socks5");
    EXPECT_EQ(solved.back().at("proxy"), expected.c_str()) << solved.back();
  }
  Provider p(R"({"url":")" + solver() + R"("})");
  auto down = p.solve(sim_->grok() + "/", "http://127.0.0.1:1", "UA");
  EXPECT_EQ(down.status, G2A_IO_ERROR);
  EXPECT_NE(down.message.find("FlareSolverr: Error: Error solving the challenge"),
            std::string::npos)
      << down.message;
  EXPECT_NE(down.message.find("(HTTP 500)"), std::string::npos) << down.message;
}

TEST_F(FlareSolverrModule, AnUnusableProxyFailsBeforeAnyRequest) {
  Provider p(R"({"url":")" + solver() + R"("})");
  auto s = p.solve("https://grok.com/", "ftp://user:hunter2@h:21", "UA");
  EXPECT_EQ(s.status, G2A_BAD_ARGUMENT);
  EXPECT_EQ(s.message.find("hunter2"), std::string::npos) << s.message;
  EXPECT_TRUE(p.host().sent().empty());
}

}  // namespace
}  // namespace g2a::test
