// The pool's persistence through a real Store over the storage-file plugin: what a save
// writes comes back after a restart (health, statistics, identities, bindings), and a Pro
// data/proxy_state.json loads unchanged, its bindings rebuilding assigned_sso.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include "pool_env.hpp"
#include "support/temp_dir.hpp"
#include "unit/tokens/store_env.hpp"

namespace g2a::proxy {
namespace {
namespace fs = std::filesystem;
using test::PoolEnv;

const std::string kSso = "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoibm9ybWFsLTEifQ.Nn1sig";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ProxyStore : public ::testing::Test {
 protected:
  void open() {
    store_env = std::make_unique<tokens::test::StoreEnv>(G2A_PLUGIN_DIR, dir.path(),
                                                         env.io.get_executor(), blocking);
  }
  // Saves, closes the store (the file is complete on disk) and drops the pool.
  void close() {
    env.pool->save_blocking();
    env.pool.reset();
    store_env->close();
  }
  ProxyPool& make() {
    auto o = env.options();
    o.store = &store_env->store();
    return env.make(std::move(o));
  }
  g2a::test::TempDir dir;
  runtime::BlockingPool blocking{1};
  PoolEnv env;
  std::unique_ptr<tokens::test::StoreEnv> store_env;
};

TEST_F(ProxyStore, StateSurvivesARestart) {
  env.set([](config::Settings& s) {
    s.grok.proxy_urls = {"http://10.0.0.1:3128", "socks5://u:pw@10.0.0.2:1080"};
  });
  open();
  {
    auto& pool = make();
    EXPECT_EQ(pool.load(), 2u);
    ASSERT_TRUE(pool.add("10.0.0.3:8080", "admin"));
    auto a = pool.pick("sso-a", {});
    auto b = pool.pick("sso-b", {});
    ASSERT_TRUE(a && b);
    pool.succeeded(a->id);
    for (int i = 0; i < 3; ++i) pool.failed("http://10.0.0.3:8080", "refused");
    EXPECT_TRUE(pool.dirty());
    close();
  }
  auto root = boost::json::parse(read_file(dir.path() / "proxy_state.json")).as_object();
  EXPECT_EQ(root.at("proxies").as_object().size(), 3u);
  EXPECT_EQ(root.at("assignments").as_object().size(), 2u);
  // socks5 is stored as socks5h, the Pro key.
  EXPECT_TRUE(root.at("proxies").as_object().contains("socks5h://u:pw@10.0.0.2:1080"));

  env.set([](config::Settings& s) { s.grok.proxy_urls.clear(); });
  open();
  auto& pool = make();
  EXPECT_EQ(pool.load(), 3u);
  std::map<std::string, ProxyInfo> listed;
  for (auto& p : pool.list()) listed[p.url] = p;
  ASSERT_EQ(listed.size(), 3u);
  const auto& first = listed.at("http://10.0.0.1:3128");
  EXPECT_EQ(first.source, "settings");
  EXPECT_EQ(first.success_requests, 1);
  EXPECT_EQ(first.assigned_sso, std::vector<std::string>{"sso-a"});
  const auto& down = listed.at("http://10.0.0.3:8080");
  EXPECT_EQ(down.source, "admin");
  EXPECT_FALSE(down.healthy);
  EXPECT_EQ(down.fail_count, 3);
  EXPECT_EQ(down.last_error, "refused");
  EXPECT_EQ(pool.assignments().size(), 2u);
  EXPECT_EQ(pool.pick("sso-a", {})->id, "http://10.0.0.1:3128");
  // A removal reaches the file too.
  EXPECT_TRUE(pool.remove("http://10.0.0.1:3128"));
  close();
  root = boost::json::parse(read_file(dir.path() / "proxy_state.json")).as_object();
  EXPECT_EQ(root.at("proxies").as_object().size(), 2u);
  EXPECT_FALSE(root.at("assignments").as_object().contains("sso-a"));
}

TEST_F(ProxyStore, AProProxyStateLoadsUnchanged) {
  fs::copy_file(fs::path(G2A_PRO_FIXTURES) / "proxy_state.json", dir.path() / "proxy_state.json");
  // The Pro static proxy, in the spelling Pro normalised away.
  env.set([](config::Settings& s) { s.grok.proxy_url = "socks5://127.0.0.1:1080"; });
  open();
  auto& pool = make();
  EXPECT_EQ(pool.load(), 2u);
  auto listed = pool.list();
  ASSERT_EQ(listed.size(), 2u);
  const auto& fallback = listed[0];
  EXPECT_EQ(fallback.url, "socks5h://127.0.0.1:1080");
  EXPECT_EQ(fallback.source, "static");
  EXPECT_EQ(fallback.total_requests, 12);
  EXPECT_EQ(fallback.success_requests, 11);
  EXPECT_EQ(fallback.last_used, 1738480000000);
  EXPECT_EQ(fallback.assigned_sso, std::vector<std::string>{kSso});  // rebuilt from assignments
  const auto& down = listed[1];
  EXPECT_EQ(down.url, "http://user:secret@10.0.0.2:8080");
  EXPECT_EQ(down.source, "admin");
  EXPECT_FALSE(down.healthy);
  EXPECT_EQ(down.fail_count, 3);
  EXPECT_EQ(pool.assignments().at(kSso), "socks5h://127.0.0.1:1080");
  // The binding is honoured (the static proxy is only excluded from round-robin).
  EXPECT_EQ(pool.pick(kSso, {})->id, "socks5h://127.0.0.1:1080");
  close();
  // Re-saved, the Pro fields are as they were (plus the use just counted) and ours join them.
  auto root = boost::json::parse(read_file(dir.path() / "proxy_state.json")).as_object();
  const auto& saved = root.at("proxies").at("socks5h://127.0.0.1:1080").as_object();
  EXPECT_EQ(saved.at("url"), "socks5h://127.0.0.1:1080");
  EXPECT_EQ(saved.at("total_requests"), 13);
  EXPECT_EQ(saved.at("assigned_sso").as_array().size(), 1u);
  EXPECT_EQ(saved.at("source"), "static");
  EXPECT_EQ(root.at("assignments").at(kSso), "socks5h://127.0.0.1:1080");
  EXPECT_EQ(root.at("proxies").at("http://user:secret@10.0.0.2:8080").at("healthy"), false);
}

}  // namespace
}  // namespace g2a::proxy
