// The pool's persistence through a real Store over the storage-file plugin: data/token.json
// in the Pro format, our fields in the same objects, a Pro file loading unchanged, and a
// property: any history saved and loaded again gives the same pool.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <future>
#include <sstream>

#include "pool_helpers.hpp"
#include "store_env.hpp"
#include "support/temp_dir.hpp"
#include "unit/storage_conformance/private_servers.hpp"

namespace g2a::tokens {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;
using P = upstream::grok::Problem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string comparable(const std::vector<TokenView>& views) {
  json::array out;
  for (const auto& v : views)
    out.push_back(
        json::object{{"key", make_key(v.pool, v.sso)}, {"doc", to_json(v.record, v.pool)}});
  return json::serialize(out);
}

class Persistence : public ::testing::Test {
 protected:
  void open() {
    env = std::make_unique<test::StoreEnv>(G2A_PLUGIN_DIR, dir.path(), io.get_executor(), blocking);
  }
  g2a::test::TempDir dir;
  boost::asio::io_context io;
  runtime::BlockingPool blocking{1};
  std::unique_ptr<test::StoreEnv> env;
  test::FakeClock clock;
};

TEST_F(Persistence, TokenJsonKeepsTheProFormatWithOurFields) {
  open();
  {
    TokenPool pool(&env->store(), clock.fn());
    pool.add({"normal-token-0001", "normal-token-0002"}, Pool::kNormal);
    pool.add({"super-token-0001"}, Pool::kSuper);
    pool.set_tags("normal-token-0001", {"team-a", "主力"});
    pool.set_note("normal-token-0001", "主账号");
    pool.apply_quota("super-token-0001", test::reading("fast", 99, 140));
    pool.report("normal-token-0002",
                test::failed(P::kUnauthenticated, 401, "fast", "Unauthenticated"));
    pool.remove({"normal-token-0002"}, Pool::kNormal);
    pool.save_blocking();
    EXPECT_FALSE(pool.dirty());
  }
  env->close();
  auto root = json::parse(read_file(dir.path() / "token.json")).as_object();
  ASSERT_TRUE(root.contains("ssoNormal"));
  ASSERT_TRUE(root.contains("ssoSuper"));
  const auto& n = root["ssoNormal"].as_object();
  EXPECT_EQ(n.size(), 1u);
  const auto& t = n.at("normal-token-0001").as_object();
  EXPECT_EQ(t.at("createdTime"), clock.ms());
  EXPECT_EQ(t.at("remainingQueries"), -1);
  EXPECT_EQ(t.at("status"), "active");
  EXPECT_TRUE(t.at("lastFailureTime").is_null());
  EXPECT_EQ(t.at("note"), "主账号");
  EXPECT_EQ(t.at("tier_source"), "pool");
  const auto& s = root["ssoSuper"].as_object().at("super-token-0001").as_object();
  EXPECT_EQ(s.at("remainingQueries"), 99);
  EXPECT_EQ(s.at("tier"), "super");
  EXPECT_EQ(s.at("tier_source"), "quota");
  EXPECT_EQ(s.at("quotas").at("fast").at("total"), 140);

  open();
  TokenPool again(&env->store(), clock.fn());
  EXPECT_EQ(again.load(), 2u);
  EXPECT_EQ(again.find("super-token-0001")->record.detected_tier, Tier::kSuper);
  EXPECT_EQ(again.find("normal-token-0001")->record.tags,
            (std::vector<std::string>{"team-a", "主力"}));
}

TEST_F(Persistence, AProDataDirectoryLoadsAndUnknownMembersSurvive) {
  fs::copy_file(fs::path(G2A_PRO_FIXTURES) / "token.json", dir.path() / "token.json");
  open();
  TokenPool pool(&env->store(), clock.fn());
  size_t n = pool.load();
  EXPECT_GE(n, 3u);
  const std::string expired = "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoibm9ybWFsLTIifQ.Nn2sig";
  auto v = pool.find(expired);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->record.status, "expired");
  EXPECT_EQ(v->record.failed_count, 3);
  EXPECT_EQ(assess(v->record, ModelRequirement::for_mode("fast"), clock.ms()).availability,
            Availability::kUnusable);
  pool.set_note(expired, "checked");
  auto save = boost::asio::co_spawn(io, pool.save(), boost::asio::use_future);
  io.run();
  save.get();
  env->close();
  auto root = json::parse(read_file(dir.path() / "token.json")).as_object();
  const auto& t = root["ssoNormal"].as_object().at(expired).as_object();
  EXPECT_EQ(t.at("note"), "checked");
  EXPECT_EQ(t.at("customField").at("source"), "import");
  EXPECT_EQ(t.at("lastFailureReason"), "401: Token失效");
}

TEST_F(Persistence, HeavyTokensAreSavedInTheirOwnPool) {
  open();
  TokenPool pool(&env->store(), clock.fn());
  pool.add({"normal-x"}, Pool::kNormal);
  pool.add({"heavy-x"}, Pool::kHeavy);
  pool.save_blocking();
  EXPECT_TRUE(env->store().get(kCollection, "ssoNormal/normal-x"));
  EXPECT_TRUE(env->store().get(kCollection, "ssoHeavy/heavy-x"));
  env->close();
  auto root = json::parse(read_file(dir.path() / "token.json")).as_object();
  EXPECT_TRUE(root["ssoHeavy"].as_object().contains("heavy-x"));
}

RC_GTEST_PROP(PersistenceProperty, AnyHistorySavedAndLoadedGivesTheSamePool, ()) {
  static g2a::test::TempDir dir;
  static boost::asio::io_context io;
  static runtime::BlockingPool blocking{1};
  static test::StoreEnv env(G2A_PLUGIN_DIR, dir.path(), io.get_executor(), blocking);
  // Start from an empty collection.
  for (const auto& [key, doc] : env.store().list(kCollection)) env.store().remove(kCollection, key);

  test::FakeClock clock;
  TokenPool pool(&env.store(), clock.fn());
  const std::vector<std::string> tokens = {"tk-a", "tk-b", "tk-c", "tk-d"};
  const std::vector<std::string> keys = {"fast", "expert", "heavy", "video"};
  const auto steps = *rc::gen::container<std::vector<std::tuple<int, int, int, int>>>(
      rc::gen::tuple(rc::gen::inRange(0, 8), rc::gen::inRange(0, 4), rc::gen::inRange(0, 50),
                     rc::gen::inRange(0, 4)));
  for (const auto& [kind, t, a, k] : steps) {
    const auto& sso = tokens[t];
    switch (kind) {
      case 0:
        pool.add({sso}, a % 2 ? Pool::kSuper : Pool::kNormal);  // the plugin has two pools today
        break;
      case 1:
        pool.remove({sso}, a % 2 ? Pool::kSuper : Pool::kNormal);
        break;
      case 2:
        pool.apply_quota(sso, test::reading(keys[k], a % 7, a % 3 ? 140 : 0));
        break;
      case 3:
        pool.report(sso, test::failed(a % 3 ? P::kUnauthenticated : P::kRateLimited, 401, keys[k]));
        break;
      case 4:
        pool.set_tags(sso, {"t" + std::to_string(a % 3), "标签"});
        break;
      case 5:
        pool.set_note(sso, "note \"" + std::to_string(a) + "\"\n");
        break;
      case 6:
        pool.save_blocking();  // saves in between must not lose later changes
        break;
      default:
        clock.advance_s(a);
        pool.apply_refresh_verdict(sso, 2);
    }
  }
  pool.save_blocking();
  RC_ASSERT(!pool.dirty());
  TokenPool loaded(&env.store(), clock.fn());
  loaded.load();
  // Same tokens and documents (pool order aside: the plugin lists by key).
  auto a = pool.snapshot(), b = loaded.snapshot();
  auto by_key = [](const TokenView& x, const TokenView& y) {
    return make_key(x.pool, x.sso) < make_key(y.pool, y.sso);
  };
  std::sort(a.begin(), a.end(), by_key);
  std::sort(b.begin(), b.end(), by_key);
  RC_ASSERT(comparable(a) == comparable(b));
}

}  // namespace
}  // namespace g2a::tokens

namespace g2a::tokens {
namespace {

// Two pools over one store stand for two instances sharing it: sync() takes over what the
// other added, limited or removed, and keeps its own unsaved changes.
TEST_F(Persistence, SyncTakesWhatAnotherPoolSavedAndKeepsItsOwnChanges) {
  open();
  TokenPool a(&env->store(), clock.fn()), b(&env->store(), clock.fn());
  auto fast = ModelRequirement::for_mode("fast");
  a.add({"shared-token-0001", "shared-token-0002"}, Pool::kSuper);
  a.save_blocking();
  auto first = b.sync();
  EXPECT_EQ(first.added, 2u);
  ASSERT_TRUE(b.find("shared-token-0001"));

  // A meets a 429 on both: B stops picking them once it has read that.
  a.report("shared-token-0001", test::failed(P::kRateLimited, 429, "fast", "Too many requests"));
  a.report("shared-token-0002", test::failed(P::kRateLimited, 429, "fast", "Too many requests"));
  a.save_blocking();
  EXPECT_TRUE(b.acquire(fast).has_value()) << "not read yet";
  b.sync();
  EXPECT_FALSE(b.acquire(fast).has_value()) << "B knows the cooldowns";

  // B's own unsaved note survives a sync; A's tag on another token arrives.
  b.set_note("shared-token-0001", "from b");
  a.set_tags("shared-token-0002", {"from-a"});
  a.save_blocking();
  b.sync();
  EXPECT_EQ(b.find("shared-token-0001")->record.note, "from b");
  EXPECT_EQ(b.find("shared-token-0002")->record.tags, std::vector<std::string>{"from-a"});
  b.save_blocking();
  a.sync();
  EXPECT_EQ(a.find("shared-token-0001")->record.note, "from b");

  // Removed on A: gone from B; one added on B reaches A.
  a.remove({"shared-token-0002"}, Pool::kSuper);
  a.save_blocking();
  b.add({"shared-token-0003"}, Pool::kNormal);
  b.save_blocking();
  auto r = b.sync();
  EXPECT_EQ(r.removed, 1u);
  EXPECT_FALSE(b.find("shared-token-0002"));
  a.sync();
  EXPECT_TRUE(a.find("shared-token-0003"));
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(b.size(), 2u);
}

// A sync while a save is under way: the listing still shows the store as it was before
// the save, and must not bring back the token being removed, drop the one being added,
// or undo the change being written.
TEST_F(Persistence, ASyncDuringASaveNeitherResurrectsNorDropsNorUndoesItsWrites) {
  open();
  TokenPool a(&env->store(), clock.fn());
  a.add({"kept-token-0001", "removed-token-0001"}, Pool::kSuper);
  a.save_blocking();
  a.remove({"removed-token-0001"}, Pool::kSuper);
  a.add({"added-token-0001"}, Pool::kNormal);
  a.set_note("kept-token-0001", "changed here");

  // The blocking pool's one thread waits on the gate: the save's write queues behind it.
  std::promise<void> gate;
  blocking.post([opened = gate.get_future()] { opened.wait(); });
  auto save = boost::asio::co_spawn(io, a.save(), boost::asio::use_future);
  io.poll();
  ASSERT_FALSE(a.dirty()) << "the save took the changes";
  ASSERT_TRUE(env->store().get(kCollection, "ssoSuper/removed-token-0001")) << "not written yet";
  ASSERT_FALSE(env->store().get(kCollection, "ssoNormal/added-token-0001"));

  auto during = a.sync();
  EXPECT_EQ(during.added, 0u);
  EXPECT_EQ(during.removed, 0u);
  EXPECT_EQ(during.updated, 0u);
  EXPECT_FALSE(a.find("removed-token-0001")) << "resurrected by a sync during its removal";
  EXPECT_TRUE(a.find("added-token-0001")) << "dropped by a sync during its first save";
  ASSERT_TRUE(a.find("kept-token-0001"));
  EXPECT_EQ(a.find("kept-token-0001")->record.note, "changed here");

  gate.set_value();
  io.run();
  save.get();
  EXPECT_FALSE(env->store().get(kCollection, "ssoSuper/removed-token-0001"));
  EXPECT_TRUE(env->store().get(kCollection, "ssoNormal/added-token-0001"));
  auto after = a.sync();
  EXPECT_EQ(after.added + after.removed + after.updated, 0u);
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a.find("kept-token-0001")->record.note, "changed here");
}

// A write that fails leaves what the instance knows of storage as it was: a sync before
// the retry does not take the instance's own older document for another instance's and
// merge its limits back (here a failure count that a success had reset).
TEST_F(Persistence, AFailedWriteDoesNotMergeTheInstancesOwnOlderDocumentBack) {
  g2a::test::PrivateServer redis("redis");
  if (redis.url().empty()) GTEST_SKIP() << "no private Redis: " << redis.error();
  env = std::make_unique<test::StoreEnv>(G2A_PLUGIN_DIR, dir.path(), io.get_executor(), blocking,
                                         std::vector<std::string>{}, plugin::ManagerOptions{},
                                         "storage-redis", redis.url());
  ASSERT_TRUE(env->store().shared());
  const std::string sso = "shared-token-0001", key = "ssoSuper/shared-token-0001";
  TokenPool a(&env->store(), clock.fn());
  a.add({sso}, Pool::kSuper);
  a.report(sso, test::failed(P::kUnauthenticated, 401, "fast", "Unauthenticated"));
  a.save_blocking();
  ASSERT_EQ(a.find(sso)->record.failed_count, 1);
  a.report(sso, Outcome::success("fast"));
  ASSERT_EQ(a.find(sso)->record.failed_count, 0);

  ASSERT_EQ(redis.run("stop"), "");
  a.save_blocking();
  EXPECT_TRUE(a.dirty()) << "the failed write is queued again";
  ASSERT_EQ(redis.run("restart"), "");
  auto stored = env->store().get(kCollection, key);
  ASSERT_TRUE(stored);
  ASSERT_EQ(json::parse(*stored).at("failedCount"), 1) << "the store still holds the old one";

  a.sync();
  EXPECT_EQ(a.find(sso)->record.failed_count, 0) << "its own older document was merged back";
  a.save_blocking();
  EXPECT_FALSE(a.dirty());
  stored = env->store().get(kCollection, key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(json::parse(*stored).at("failedCount"), 0);
  env.reset();  // before the server stops
}

}  // namespace
}  // namespace g2a::tokens
