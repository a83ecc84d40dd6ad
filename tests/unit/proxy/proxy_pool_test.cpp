// The EgressService of the pool: the selection rules with the static proxy and direct, the
// egress identities, health events, the on-demand and periodic source refresh (single
// flight), and clearance refreshes per egress.
#include <gtest/gtest.h>

#include "core/ops/mask.hpp"
#include "pool_env.hpp"

namespace g2a::proxy {
namespace {
using test::FakeClearance;
using test::FakeSource;
using test::PoolEnv;

const std::string kP1 = "http://10.0.0.1:3128";
const std::string kP2 = "http://10.0.0.2:3128";
const std::string kStatic = "socks5h://10.0.0.9:1080";

std::optional<Egress> for_sso(PoolEnv& env, const std::string& sso,
                              std::set<std::string> avoid = {}) {
  return env.run(env.pool->for_sso(sso, std::move(avoid)));
}

TEST(ProxyPool, WithoutProxiesCallsGoDirectWithTheSettingsIdentity) {
  PoolEnv env;
  env.set([](config::Settings& s) {
    s.grok.user_agent = "UA-1";
    s.grok.cf_clearance = "cf-static";
  });
  auto& pool = env.make();
  pool.load();
  auto e = for_sso(env, "sso-a");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "direct");
  EXPECT_EQ(e->proxy_url, "");
  EXPECT_EQ(e->user_agent, "UA-1");
  EXPECT_EQ(e->cf_cookies.at("cf_clearance"), "cf-static");
  EXPECT_TRUE(pool.direct_allowed());
  env.set([](config::Settings& s) { s.grok.allow_direct = "false"; });
  EXPECT_EQ(for_sso(env, "sso-a"), std::nullopt);
}

TEST(ProxyPool, TheStaticProxyIsTheFallbackAndOwnsCfClearance) {
  PoolEnv env;
  env.set([](config::Settings& s) {
    s.grok.proxy_url = kStatic;
    s.grok.cf_clearance = "cf-static";
  });
  auto& pool = env.make();
  pool.load();
  auto e = for_sso(env, "sso-a");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, kStatic);
  EXPECT_EQ(e->proxy_url, kStatic);
  EXPECT_EQ(e->cf_cookies.at("cf_clearance"), "cf-static");
  EXPECT_FALSE(pool.direct_allowed());  // auto: a proxy is configured
  EXPECT_EQ(for_sso(env, "sso-a", {kStatic}), std::nullopt);
  env.set([](config::Settings& s) { s.grok.allow_direct = "true"; });
  auto direct = for_sso(env, "sso-a", {kStatic});
  ASSERT_TRUE(direct);
  EXPECT_EQ(direct->id, "direct");
  EXPECT_TRUE(direct->cf_cookies.empty());  // the cookie belongs to the static proxy
  // A pool proxy wins over the static one, and carries no static cookie.
  pool.add(kP1, "admin");
  auto pooled = for_sso(env, "sso-a");
  ASSERT_TRUE(pooled);
  EXPECT_EQ(pooled->id, kP1);
  EXPECT_TRUE(pooled->cf_cookies.empty());
  auto listed = pool.list();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].source, "static");
  EXPECT_TRUE(listed[0].assigned_sso.empty());  // a fallback is never bound
}

TEST(ProxyPool, FailuresMakeAProxyUnhealthyOnceAndTheSsoMovesOn) {
  PoolEnv env;
  env.set([](config::Settings& s) {
    s.grok.proxy_urls = {kP1, kP2};
    s.grok.proxy_max_failures = 2;
  });
  auto& pool = env.make();
  pool.load();
  auto first = for_sso(env, "sso-a");
  ASSERT_TRUE(first);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(for_sso(env, "sso-a")->id, first->id);
  pool.failed(first->id, "proxy CONNECT refused by " + first->id);
  EXPECT_EQ(for_sso(env, "sso-a")->id, first->id);  // one failure does not move it
  pool.failed(first->id, "again");
  pool.failed(first->id, "and again");
  auto events = env.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "proxy.unhealthy");
  EXPECT_EQ(events[0].proxy, first->id);
  EXPECT_EQ(events[0].reason, "again");
  auto moved = for_sso(env, "sso-a");
  ASSERT_TRUE(moved);
  EXPECT_NE(moved->id, first->id);
  EXPECT_EQ(pool.assignments().at("sso-a"), moved->id);
  pool.succeeded(first->id);
  events = env.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].event, "proxy.recovered");
  EXPECT_EQ(for_sso(env, "sso-a")->id, moved->id);  // the new binding stays
}

TEST(ProxyPool, ReasonsAreStoredWithTheProxyPasswordMasked) {
  PoolEnv env;
  auto& pool = env.make();
  pool.load();
  const std::string secret = "http://user:hunter2@10.0.0.3:8080";
  ASSERT_TRUE(pool.add(secret, "admin"));
  pool.failed(secret, "Failed to connect to " + secret);
  auto listed = pool.list();
  EXPECT_EQ(listed[0].last_error.find("hunter2"), std::string::npos) << listed[0].last_error;
  EXPECT_EQ(pool.resolve(ops::mask_url_credentials(secret)), secret);
  EXPECT_EQ(pool.resolve("user:hunter2@10.0.0.3:8080"), secret);
  EXPECT_EQ(pool.resolve("http://10.0.0.4:1"), std::nullopt);
}

TEST(ProxyPool, NoHealthyProxyRefreshesTheSourcesOnceForAllWaiters) {
  PoolEnv env;
  auto o = env.options();
  auto source = std::make_unique<FakeSource>("proxy-source-api", env.gate);
  auto* src = source.get();
  src->serve({"10.0.0.7:8080", "not a proxy"});
  o.sources.push_back(std::move(source));
  auto& pool = env.make(std::move(o));
  pool.load();
  env.gate.close();
  std::vector<std::future<std::optional<Egress>>> waiting;
  for (int i = 0; i < 3; ++i)
    waiting.push_back(boost::asio::co_spawn(env.io, pool.for_sso("sso-" + std::to_string(i), {}),
                                            boost::asio::use_future));
  ASSERT_TRUE(src->counter.wait_for(1));
  env.gate.open();
  for (auto& w : waiting) {
    auto e = w.get();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->id, "http://10.0.0.7:8080");
  }
  EXPECT_EQ(src->counter.calls(), 1);
  EXPECT_EQ(pool.list().at(0).source, "proxy-source-api");
}

TEST(ProxyPool, PickFallsBackAtOnceAndRefreshesInTheBackground) {
  PoolEnv env;
  env.set([](config::Settings& s) { s.grok.allow_direct = "true"; });
  auto o = env.options();
  auto source = std::make_unique<FakeSource>("src", env.gate);
  auto* src = source.get();
  src->serve({"http://10.0.0.8:3128"});
  o.sources.push_back(std::move(source));
  auto& pool = env.make(std::move(o));
  pool.load();
  env.gate.close();
  auto now = pool.pick("sso", {});
  ASSERT_TRUE(now);
  EXPECT_EQ(now->id, "direct");
  ASSERT_TRUE(src->counter.wait_for(1));
  env.gate.open();
  auto added = env.run(pool.refresh_sources());  // joins the background refresh or runs again
  (void)added;
  EXPECT_EQ(pool.pick("sso", {})->id, "http://10.0.0.8:3128");
}

TEST(ProxyPool, AFailingSourceIsNotAskedAgainForEveryRequest) {
  PoolEnv env;
  env.set([](config::Settings& s) { s.grok.allow_direct = "true"; });
  auto o = env.options();
  auto source = std::make_unique<FakeSource>("src", env.gate);
  auto* src = source.get();
  src->fail("pool API answered 500");
  o.sources.push_back(std::move(source));
  o.on_demand_gap_ms = 5000;
  auto& pool = env.make(std::move(o));
  pool.load();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(for_sso(env, "sso")->id, "direct");
  EXPECT_EQ(src->counter.calls(), 1);
  env.now_ms += 5000;
  EXPECT_EQ(for_sso(env, "sso")->id, "direct");
  EXPECT_EQ(src->counter.calls(), 2);
}

TEST(ProxyPool, SourcesAreRefreshedPeriodically) {
  PoolEnv env;
  env.set([](config::Settings& s) { s.grok.proxy_pool_interval = 1; });
  auto o = env.options();
  auto source = std::make_unique<FakeSource>("src", env.gate);
  auto* src = source.get();
  o.sources.push_back(std::move(source));
  auto& pool = env.make(std::move(o));
  pool.load();
  pool.start();  // one refresh at once, then every second
  ASSERT_TRUE(src->counter.wait_for(1));
  src->serve({"http://10.0.0.2:2"});
  // The third call starts after the second ended, which came a second after the serve.
  ASSERT_TRUE(src->counter.wait_for(3));
  pool.stop();
  ASSERT_EQ(pool.list().size(), 1u);
  EXPECT_EQ(pool.list()[0].url, "http://10.0.0.2:2");
}

TEST(ProxyPool, ClearanceIsSolvedOncePerEgressAndKeptByThatEgressOnly) {
  PoolEnv env;
  env.set([](config::Settings& s) {
    s.grok.proxy_urls = {kP1, kP2};
    s.grok.user_agent = "Default-UA";
  });
  auto o = env.options();
  auto provider = std::make_unique<FakeClearance>(env.gate);
  auto* solver = provider.get();
  o.clearance = std::move(provider);
  auto& pool = env.make(std::move(o));
  pool.load();
  auto e1 = *pool.pick("sso-1", {});
  auto e2 = *pool.pick("sso-2", {});
  ASSERT_NE(e1.id, e2.id);
  env.gate.close();
  std::vector<std::future<std::optional<Egress>>> waiting;
  for (int i = 0; i < 3; ++i)
    waiting.push_back(boost::asio::co_spawn(env.io, pool.refresh_clearance(e1, "https://grok.com/"),
                                            boost::asio::use_future));
  ASSERT_TRUE(solver->counter.wait_for(1));
  env.gate.open();
  for (auto& w : waiting) {
    auto got = w.get();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->user_agent, "Solver-UA/1");
    EXPECT_EQ(got->cf_cookies.at("cf_clearance"), "cf-" + e1.id);
    EXPECT_EQ(got->cf_cookies.count("session"), 0u);  // only Cloudflare cookies are kept
  }
  EXPECT_EQ(solver->counter.calls(), 1);
  EXPECT_EQ(solver->requests.at(0).proxy_url, e1.id);
  EXPECT_EQ(solver->requests.at(0).user_agent, "Default-UA");
  EXPECT_EQ(pool.pick("sso-1", {})->user_agent, "Solver-UA/1");
  auto other = *pool.pick("sso-2", {});
  EXPECT_EQ(other.user_agent, "Default-UA");
  EXPECT_TRUE(other.cf_cookies.empty());
  solver->fail = true;
  EXPECT_EQ(env.run(pool.refresh_clearance(other, "https://grok.com/")), std::nullopt);
  EXPECT_EQ(pool.pick("sso-1", {})->user_agent, "Solver-UA/1");
}

TEST(ProxyPool, ClearanceOfTheDirectEgressAndWithoutAProvider) {
  PoolEnv env;
  auto o = env.options();
  o.clearance = std::make_unique<FakeClearance>(env.gate);
  auto& pool = env.make(std::move(o));
  pool.load();
  auto direct = *pool.pick("sso", {});
  auto solved = env.run(pool.refresh_clearance(direct, "https://grok.com/"));
  ASSERT_TRUE(solved);
  EXPECT_EQ(solved->id, "direct");
  EXPECT_EQ(solved->cf_cookies.at("cf_clearance"), "cf-");
  EXPECT_EQ(pool.pick("sso", {})->user_agent, solved->user_agent);

  PoolEnv bare;
  auto& none = bare.make();
  none.load();
  EXPECT_EQ(bare.run(none.refresh_clearance(*none.pick("sso", {}), "https://grok.com/")),
            std::nullopt);
}

TEST(ProxyPool, AssetsUseTheCacheProxyWhenSet) {
  PoolEnv env;
  env.set([](config::Settings& s) { s.grok.proxy_urls = {kP1}; });
  auto& pool = env.make();
  pool.load();
  EXPECT_EQ(pool.for_assets("sso")->id, kP1);
  env.set([](config::Settings& s) { s.grok.cache_proxy_url = kP2; });
  EXPECT_EQ(pool.for_assets("sso")->id, kP2);
}

TEST(ProxyPool, AdminOperations) {
  PoolEnv env;
  auto& pool = env.make();
  pool.load();
  EXPECT_TRUE(pool.add("10.0.0.1:3128", "admin"));
  EXPECT_FALSE(pool.add("http://10.0.0.1:3128/", "admin"));
  EXPECT_FALSE(pool.add("nonsense", "admin"));
  EXPECT_EQ(pool.assign(kP2, "sso"), ProxyPool::AssignResult::kUnknownProxy);
  EXPECT_EQ(pool.assign(kP1, "sso"), ProxyPool::AssignResult::kOk);
  EXPECT_EQ(pool.assignments().at("sso"), kP1);
  for (int i = 0; i < 3; ++i) pool.failed(kP1, "down");
  EXPECT_TRUE(pool.assignments().empty());
  EXPECT_EQ(pool.assign(kP1, "sso"), ProxyPool::AssignResult::kUnhealthy);
  EXPECT_TRUE(pool.reset_health(kP1));
  EXPECT_TRUE(pool.list()[0].healthy);
  EXPECT_EQ(env.events().back().event, "proxy.recovered");
  EXPECT_EQ(pool.assign(kP1, "sso"), ProxyPool::AssignResult::kOk);
  EXPECT_TRUE(pool.unassign("sso"));
  EXPECT_FALSE(pool.unassign("sso"));
  EXPECT_TRUE(pool.remove(kP1));
  EXPECT_FALSE(pool.remove(kP1));
  EXPECT_TRUE(pool.list().empty());
}

}  // namespace
}  // namespace g2a::proxy

namespace g2a::proxy {
namespace {

// Settings changed through the admin API apply without a restart: new proxy_urls join
// the pool, and a new static proxy replaces the old one.
TEST(ProxyPool, SettingsChangesApplyAtRuntime) {
  test::PoolEnv env;
  env.set([](config::Settings& s) { s.grok.proxy_url = "http://10.0.0.9:1"; });
  auto& pool = env.make();
  pool.load();
  EXPECT_EQ(pool.pick("sso", {})->id, "http://10.0.0.9:1");
  env.set([](config::Settings& s) {
    s.grok.proxy_url = "http://10.0.0.8:1";
    s.grok.proxy_urls = {"http://10.0.0.1:1"};
  });
  pool.apply_settings(*env.settings());
  EXPECT_EQ(pool.pick("sso", {})->id, "http://10.0.0.1:1");
  EXPECT_EQ(pool.pick("sso", {"http://10.0.0.1:1"})->id, "http://10.0.0.8:1");
  std::vector<std::string> urls;
  for (const auto& p : pool.list()) urls.push_back(p.url + " " + p.source);
  EXPECT_EQ(urls,
            (std::vector<std::string>{"http://10.0.0.8:1 static", "http://10.0.0.1:1 settings"}));
}

}  // namespace
}  // namespace g2a::proxy

namespace g2a::proxy {
namespace {

// A sourced proxy with a ttl leaves the pool (and its bindings) at the first refresh after
// the ttl passed unless the source lists it again.
TEST(ProxyPool, SourcedProxiesExpireAfterTheirTtl) {
  test::PoolEnv env;
  env.set([](config::Settings& s) { s.grok.proxy_urls = {"http://10.0.0.1:1"}; });
  auto o = env.options();
  auto source = std::make_unique<test::FakeSource>("src", env.gate);
  auto* src = source.get();
  o.sources.push_back(std::move(source));
  auto& pool = env.make(std::move(o));
  pool.load();
  src->serve({"http://10.0.0.2:2", "http://10.0.0.1:1"}, 10);
  EXPECT_EQ(env.run(pool.refresh_sources()), 1u);
  EXPECT_EQ(pool.assign("http://10.0.0.2:2", "sso"), ProxyPool::AssignResult::kOk);
  env.now_ms += 9000;
  src->serve({});
  env.run(pool.refresh_sources());
  EXPECT_EQ(pool.list().size(), 2u);
  env.now_ms += 1000;
  env.run(pool.refresh_sources());
  ASSERT_EQ(pool.list().size(), 1u);  // the settings proxy has no ttl of this source
  EXPECT_EQ(pool.list()[0].url, "http://10.0.0.1:1");
  EXPECT_TRUE(pool.assignments().empty());
}

}  // namespace
}  // namespace g2a::proxy
