// The host-side wrappers of proxy-source and clearance plugins: real plugins (plain C, one
// built as ABI 1.0) loaded by the real plugin manager, called as Asio awaitables; a plugin
// that never calls done times out; a blocking plugin is called on the blocking pool.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/plugin/host_context.hpp"
#include "core/plugin/manager.hpp"
#include "core/proxy/plugin_clearance.hpp"
#include "core/proxy/plugin_proxy_source.hpp"
#include "core/runtime/blocking_pool.hpp"

namespace g2a::proxy {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

std::string test_plugin(const std::string& name) {
  return std::string(G2A_TEST_PLUGIN_DIR) + "/" + name + ".so";
}

// Test plugin file -> its config table.
using Configs = std::map<std::string, std::string>;

// The plugin manager with some test plugins and their config tables.
class Plugins {
 public:
  Plugins(const Configs& files_and_configs,
          std::map<std::string, std::function<std::string()>> defaults = {}) {
    plugin::ManagerOptions o;
    o.directory = "/nonexistent";
    for (const auto& [file, config] : files_and_configs) {
      o.settings.paths.push_back(test_plugin(file));
      o.settings.entries[id_of(file)].config_json = config;
    }
    o.io = io.get_executor();
    o.blocking = &blocking;
    o.config_defaults = std::move(defaults);
    manager = std::make_unique<plugin::Manager>(std::move(o));
    manager->load_all();
  }

  template <class T>
  T run(asio::awaitable<T> op) {
    auto f = asio::co_spawn(io, std::move(op), asio::use_future);
    io.restart();
    io.run();
    return f.get();
  }

  static std::string id_of(const std::string& file) {
    return file == "c11_clearance" ? "c11-clearance" : "abi-1-0-source";
  }

  asio::io_context io;
  runtime::BlockingPool blocking{1};
  std::unique_ptr<plugin::Manager> manager;
};

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(PluginProxySource, AnAbi10SourceIsRefreshedThroughTheWrapper) {
  Plugins p(
      Configs{{"abi_1_0_proxy_source", R"({"proxies":["http://10.0.0.1:1","socks5://u:p@h:2"]})"}});
  auto sources = plugin_proxy_sources(*p.manager);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0]->id(), "abi-1-0-source");
  auto got = p.run(sources[0]->refresh());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].url, "http://10.0.0.1:1");
  EXPECT_EQ(got[1].url, "socks5://u:p@h:2");
  EXPECT_EQ(got[0].weight, 0u);
}

TEST(PluginProxySource, ASourceThatNeverAnswersTimesOut) {
  Plugins p(Configs{{"abi_1_0_proxy_source", R"({"silent":true})"}});
  PluginProxySource source(*p.manager->find("abi-1-0-source"), 200ms);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(message_of([&] { p.run(source.refresh()); }),
            "proxy source abi-1-0-source did not answer within 200 ms");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
}

TEST(PluginProxySource, LiveConfigDefaultsReachThePluginUnlessItsTableSetsThem) {
  int calls = 0;
  auto defaults = [&calls] {
    ++calls;
    return std::string(R"({"proxies":["http://from-defaults:1"]})");
  };
  Plugins by_default(Configs{{"abi_1_0_proxy_source", "{}"}}, {{"abi-1-0-source", defaults}});
  auto got = by_default.run(plugin_proxy_sources(*by_default.manager).at(0)->refresh());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].url, "http://from-defaults:1");
  EXPECT_GE(calls, 1);

  Plugins own(Configs{{"abi_1_0_proxy_source", R"({"proxies":["http://own:1"]})"}},
              {{"abi-1-0-source", defaults}});
  got = own.run(plugin_proxy_sources(*own.manager).at(0)->refresh());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].url, "http://own:1");
}

TEST(PluginProxySource, ProxySourceApiDefaultsFollowGrokProxyPoolUrl) {
  auto d = boost::json::parse(proxy_source_api_defaults("https://pool.example/get?key=k"));
  EXPECT_EQ(d,
            boost::json::parse(R"({"url":"https://pool.example/get?key=k","timeout_ms":10000})"));
  // A socks URL there is the Pro "static proxy", not a pool API.
  EXPECT_EQ(boost::json::parse(proxy_source_api_defaults("socks5://10.0.0.1:1080")),
            boost::json::parse(R"({"timeout_ms":10000})"));
  EXPECT_EQ(boost::json::parse(proxy_source_api_defaults("")),
            boost::json::parse(R"({"timeout_ms":10000})"));
}

TEST(PluginClearance, SolveCarriesTheRequestAndKeepsOnlyCloudflareCookies) {
  Plugins p(Configs{{"c11_clearance", "{}"}});
  auto provider = plugin_clearance_provider(*p.manager, "c11-clearance");
  ASSERT_TRUE(provider);
  EXPECT_EQ(provider->id(), "c11-clearance");
  ClearanceRequest req{"https://grok.com/", "http://u:p@10.0.0.1:3128", "Egress/1.0", 1500};
  Clearance c = p.run(provider->solve(req));
  EXPECT_EQ(c.user_agent, "Solver/1.0 (was Egress/1.0; 1500 ms)");
  EXPECT_EQ(c.cookies, (std::map<std::string, std::string>{
                           {"cf_clearance", "cf-http://u:p@10.0.0.1:3128"}, {"__cf_bm", "bm"}}));
  EXPECT_EQ(c.expires_ms, 1900000000000);
}

TEST(PluginClearance, FailuresRefusalsAndSilenceBecomeErrors) {
  Plugins failing(Configs{{"c11_clearance", R"({"mode":"fail"})"}});
  auto provider = plugin_clearance_provider(*failing.manager, "c11-clearance");
  ClearanceRequest req{"https://grok.com/", "", "UA", 0};
  EXPECT_EQ(message_of([&] { failing.run(provider->solve(req)); }),
            "clearance provider c11-clearance: solver unreachable");

  Plugins refusing(Configs{{"c11_clearance", R"({"mode":"refuse"})"}});
  provider = plugin_clearance_provider(*refusing.manager, "c11-clearance");
  EXPECT_EQ(message_of([&] { refusing.run(provider->solve(req)); }),
            "clearance provider c11-clearance: the plugin refused the call (status 4)");

  Plugins silent(Configs{{"c11_clearance", R"({"mode":"silent"})"}});
  PluginClearance quiet(*silent.manager->find("c11-clearance"), 150ms);
  EXPECT_EQ(message_of([&] { silent.run(quiet.solve(req)); }),
            "clearance provider c11-clearance did not answer within 150 ms");
}

TEST(PluginClearance, TheFactoryAnswersNullForNoneMissingOrAnotherKind) {
  Plugins p(Configs{{"c11_clearance", "{}"}, {"abi_1_0_proxy_source", "{}"}});
  EXPECT_FALSE(plugin_clearance_provider(*p.manager, ""));
  EXPECT_FALSE(plugin_clearance_provider(*p.manager, "clearance-flaresolverr"));
  EXPECT_FALSE(plugin_clearance_provider(*p.manager, "abi-1-0-source"));
  EXPECT_TRUE(plugin_clearance_provider(*p.manager, "c11-clearance"));
}

// An in-process clearance plugin that records the thread solve runs on.
std::thread::id g_solve_thread;

g2a_status record_thread(void*, const g2a_clearance_request*, g2a_clearance_done_fn done,
                         void* user) {
  g_solve_thread = std::this_thread::get_id();
  g2a_clearance_result r{sizeof(r), {"UA", 2}, nullptr, 0, 0};
  done(user, G2A_OK, {"", 0}, &r);
  return G2A_OK;
}

const void* recording_interface(uint32_t kind) {
  static const g2a_clearance_v1 table{sizeof(g2a_clearance_v1), &record_thread};
  return kind == G2A_KIND_CLEARANCE ? &table : nullptr;
}

TEST(PluginClearance, ABlockingPluginIsCalledOnTheBlockingPool) {
  asio::io_context io;
  runtime::BlockingPool pool(1);
  plugin::LoadedPlugin fake;
  fake.id = "blocking-clearance";
  fake.descriptor.abi_version = G2A_ABI_VERSION;
  fake.descriptor.kinds = G2A_KIND_CLEARANCE;
  fake.descriptor.get_interface = &recording_interface;
  fake.ctx = std::make_unique<g2a_host_ctx>();
  fake.ctx->blocking = &pool;

  for (bool blocking : {false, true}) {
    fake.descriptor.flags = blocking ? G2A_FLAG_BLOCKING : G2A_FLAG_THREAD_SAFE;
    PluginClearance provider(fake);
    ClearanceRequest req{"https://grok.com/", "", "Old", 0};
    auto f = asio::co_spawn(io, provider.solve(req), asio::use_future);
    io.restart();
    io.run();
    EXPECT_EQ(f.get().user_agent, "UA");
    if (blocking)
      EXPECT_NE(g_solve_thread, std::this_thread::get_id());
    else
      EXPECT_EQ(g_solve_thread, std::this_thread::get_id());
  }
}

}  // namespace
}  // namespace g2a::proxy
