// Quota reads against the grok.com simulator: tier detection for basic, super and heavy
// accounts, quota_info for media, scripted faults (429 -> cooldown, usage limit, blocked ->
// disabled, 401 x3 -> expired), coalescing, and the Pro periodic refresh.
#include <boost/json.hpp>

#include "sim_env.hpp"

namespace g2a::tokens::test {
namespace {
namespace asio = boost::asio;
namespace json = boost::json;
using Result = QuotaRefresher::ReadResult;

class QuotaRefreshSim : public SimTest {
 protected:
  Result read(const std::string& sso, const std::string& key) {
    return run([&]() -> asio::awaitable<Result> { co_return co_await refresher_->read(sso, key); });
  }
  void pass() {
    run([&]() -> asio::awaitable<void> { co_await refresher_->refresh_pass(); });
  }
  // Calls of one kind the simulator saw for a token.
  size_t seen(const std::string& sso, const std::string& kind) {
    return json::parse(sim_->query("requests?sso=" + sso + "&kind=" + kind)).as_array().size();
  }
  void script(const std::string& sso, const std::string& call, const std::string& fault,
              int count = 1) {
    sim_->control("script", json::serialize(json::object{
                                {"sso", sso}, {"call", call}, {"fault", fault}, {"count", count}}));
  }
  void after_min_interval() { std::this_thread::sleep_for(std::chrono::milliseconds(450)); }
};

TEST_F(QuotaRefreshSim, TierIsDetectedFromQuotaTotals) {
  account("basic-sso-0001", "basic");
  account("super-sso-0001", "super");
  account("heavy-sso-0001", "heavy");
  // All in ssoNormal: the pool key is only a hint.
  pool_->add({"basic-sso-0001", "super-sso-0001", "heavy-sso-0001"}, Pool::kNormal);
  for (const char* sso : {"basic-sso-0001", "super-sso-0001", "heavy-sso-0001"})
    EXPECT_EQ(read(sso, "fast"), Result::kRead) << sso;
  EXPECT_EQ(pool_->find("basic-sso-0001")->record.detected_tier, Tier::kBasic);
  EXPECT_EQ(pool_->find("super-sso-0001")->record.detected_tier, Tier::kSuper);
  EXPECT_EQ(pool_->find("heavy-sso-0001")->record.detected_tier, Tier::kHeavy);
  EXPECT_EQ(pool_->find("basic-sso-0001")->record.remaining_queries, 30);
  EXPECT_EQ(pool_->find("super-sso-0001")->record.remaining_queries, 140);
  EXPECT_EQ(pool_->find("heavy-sso-0001")->record.quotas.at("fast").window_s, 7200);

  auto heavy = pool_->acquire(ModelRequirement::for_mode("heavy"));
  ASSERT_TRUE(heavy);
  EXPECT_EQ(heavy->sso(), "heavy-sso-0001");
  auto expert = pool_->acquire(ModelRequirement::for_mode("expert"), {"heavy-sso-0001"});
  ASSERT_TRUE(expert);
  EXPECT_EQ(expert->sso(), "super-sso-0001");
  EXPECT_FALSE(
      pool_->acquire(ModelRequirement::for_mode("expert"), {"heavy-sso-0001", "super-sso-0001"}));
  // A mode the account lacks reads as unavailable.
  EXPECT_EQ(read("super-sso-0001", "heavy"), Result::kRead);
  EXPECT_FALSE(pool_->find("super-sso-0001")->record.quotas.at("heavy").available);
  EXPECT_EQ(pool_->find("super-sso-0001")->record.detected_tier, Tier::kSuper);
}

TEST_F(QuotaRefreshSim, MediaQuotasComeFromQuotaInfo) {
  account("basic-media-01", "basic");
  pool_->add({"basic-media-01"}, Pool::kNormal);
  EXPECT_EQ(read("basic-media-01", "video720p"), Result::kRead);
  const auto q = pool_->find("basic-media-01")->record.quotas;
  EXPECT_EQ(q.at("imagePro").remaining, 2);
  EXPECT_EQ(q.at("video720p").remaining, 2);
  EXPECT_FALSE(q.at("video").available);
  EXPECT_EQ(pool_->find("basic-media-01")->record.video_remaining, 2);
  EXPECT_FALSE(pool_->acquire(ModelRequirement::for_media("video")));
  EXPECT_TRUE(pool_->acquire(ModelRequirement::for_media("video720p")));
  // One quota_info answers every kind: a read of another kind within the minute is fresh.
  EXPECT_EQ(read("basic-media-01", "imagePro"), Result::kFresh);
  EXPECT_EQ(seen("basic-media-01", "quota_info"), 1u);
}

TEST_F(QuotaRefreshSim, ScriptedRateLimitCoolsTheTokenDownUntilAReadSaysItIsBack) {
  account("limited-sso-01", "super");
  pool_->add({"limited-sso-01"}, Pool::kSuper);
  script("limited-sso-01", "rate_limits", "429");
  EXPECT_EQ(read("limited-sso-01", "fast"), Result::kFailed);
  auto fast = ModelRequirement::for_mode("fast");
  EXPECT_FALSE(pool_->acquire(fast));
  auto back = pool_->next_available_ms(fast);
  ASSERT_TRUE(back);
  EXPECT_NEAR(static_cast<double>(*back - pool_->now_ms()), 7200e3, 5e3);
  EXPECT_EQ(pool_->find("limited-sso-01")->record.failed_count, 0);
  after_min_interval();
  EXPECT_EQ(read("limited-sso-01", "fast"), Result::kRead);
  EXPECT_TRUE(pool_->acquire(fast));
}

TEST_F(QuotaRefreshSim, UsageLimitReadsAsExhaustedUntilTheWaitTime) {
  account("usage-sso-0001", "super");
  pool_->add({"usage-sso-0001"}, Pool::kSuper);
  script("usage-sso-0001", "rate_limits", "usage_limit");
  EXPECT_EQ(read("usage-sso-0001", "fast"), Result::kRead);
  auto fast = ModelRequirement::for_mode("fast");
  EXPECT_FALSE(pool_->acquire(fast));
  auto back = pool_->next_available_ms(fast);
  ASSERT_TRUE(back);
  EXPECT_NEAR(static_cast<double>(*back - pool_->now_ms()), 2400e3, 5e3);  // waitTimeSeconds
  EXPECT_EQ(pool_->find("usage-sso-0001")->record.remaining_queries, 0);
}

TEST_F(QuotaRefreshSim, BlockedAccountIsDisabledAtOnce) {
  account("blocked-sso-01", "basic");
  pool_->add({"blocked-sso-01"}, Pool::kNormal);
  script("blocked-sso-01", "rate_limits", "blocked");
  EXPECT_EQ(read("blocked-sso-01", "fast"), Result::kFailed);
  const auto r = pool_->find("blocked-sso-01")->record;
  EXPECT_NE(r.disabled_reason.find("blocked"), std::string::npos) << r.disabled_reason;
  EXPECT_EQ(r.status, "expired");
  EXPECT_FALSE(pool_->acquire(ModelRequirement::for_mode("fast")));
}

TEST_F(QuotaRefreshSim, ThreeUnauthenticatedAnswersExpireTheToken) {
  pool_->add({"unknown-sso-01"}, Pool::kNormal);  // grok.com does not know it: 401
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(read("unknown-sso-01", "fast"), Result::kFailed);
    after_min_interval();
  }
  const auto r = pool_->find("unknown-sso-01")->record;
  EXPECT_EQ(r.failed_count, 3);
  EXPECT_EQ(r.status, "expired");
  EXPECT_EQ(r.last_failure_reason->rfind("401: ", 0), 0u) << *r.last_failure_reason;
}

TEST_F(QuotaRefreshSim, RequestsAreCoalescedPerTokenAndMode) {
  account("busy-sso-0001", "basic");
  pool_->add({"busy-sso-0001"}, Pool::kNormal);
  // The first read starts after this instant, and the gate counts from its start, so the
  // coalesced read cannot end earlier than one minimum interval (400 ms here) after it.
  auto before_first = std::chrono::steady_clock::now();
  refresher_->request("busy-sso-0001", "fast");
  ASSERT_TRUE(eventually([&] { return refresher_->idle() && refresher_->calls() == 1; }));
  // Within the minimum interval, further requests share one read at its end.
  for (int i = 0; i < 5; ++i) refresher_->request("busy-sso-0001", "fast");
  ASSERT_TRUE(eventually([&] { return refresher_->idle() && refresher_->calls() == 2; }));
  EXPECT_GE(std::chrono::steady_clock::now() - before_first, std::chrono::milliseconds(400));
  refresher_->request("busy-sso-0001", "expert");  // another mode has its own gate
  ASSERT_TRUE(eventually([&] { return refresher_->idle() && refresher_->calls() == 3; }));
  // Five requests made one read: the simulator saw two fast reads and one expert read.
  EXPECT_EQ(seen("busy-sso-0001", "rate_limits"), 3u);
}

TEST_F(QuotaRefreshSim, AUseAsksForAFreshRead) {
  account("used-sso-0001", "super");
  pool_->add({"used-sso-0001"}, Pool::kSuper);
  refresher_->start(false);
  {
    auto lease = pool_->acquire(ModelRequirement::for_mode("expert"));  // unknown tier: read fast
    ASSERT_TRUE(lease);
    lease->report(Outcome::success("expert"));
  }
  ASSERT_TRUE(eventually([&] {
    auto v = pool_->find("used-sso-0001");
    return v->record.quotas.count("expert") && v->record.quotas.count("fast") && refresher_->idle();
  }));
  EXPECT_EQ(pool_->find("used-sso-0001")->record.detected_tier, Tier::kSuper);
}

TEST_F(QuotaRefreshSim, PeriodicPassFollowsTheScope) {
  account("newtok-0001", "basic");
  account("knowntok-02", "super");
  account("deadtok-003", "heavy");
  pool_->add({"newtok-0001", "knowntok-02", "deadtok-003"}, Pool::kNormal);
  EXPECT_EQ(read("knowntok-02", "fast"), Result::kRead);
  using P = upstream::grok::Problem;
  upstream::grok::Diagnosis d{P::kUnauthenticated, 401, "Unauthenticated"};
  for (int i = 0; i < 3; ++i) pool_->report("deadtok-003", Outcome::failure(d, "fast"));
  ASSERT_EQ(pool_->find("deadtok-003")->record.status, "expired");
  after_min_interval();
  settings([](config::Settings& s) { s.global.token_refresh_scope = "expired"; });
  pass();
  // Expired and unknown-tier tokens are read; a known active one is not.
  EXPECT_EQ(seen("newtok-0001", "rate_limits"), 1u);
  EXPECT_EQ(seen("knowntok-02", "rate_limits"), 1u);
  EXPECT_EQ(seen("deadtok-003", "rate_limits"), 2u);  // fast, then heavy for a heavy account
  const auto dead = pool_->find("deadtok-003")->record;
  EXPECT_EQ(dead.status, "active");  // Pro: quota left reactivates and clears failures
  EXPECT_EQ(dead.failed_count, 0);
  EXPECT_EQ(dead.heavy_remaining_queries, 20);
}

TEST_F(QuotaRefreshSim, NoQuotaAtTheThresholdExpiresAndQuotaBackReactivates) {
  account("zero-sso-0001", "basic");
  pool_->add({"zero-sso-0001"}, Pool::kNormal);
  settings([](config::Settings& s) {
    s.global.token_refresh_scope = "all";
    s.global.token_zero_expire_threshold = 2;
  });
  sim_->control("quota", R"({"sso":"zero-sso-0001","mode":"fast","remaining":0})");
  pass();
  EXPECT_EQ(pool_->find("zero-sso-0001")->record.zero_count, 1);
  EXPECT_EQ(pool_->find("zero-sso-0001")->record.status, "active");
  after_min_interval();
  pass();
  EXPECT_EQ(pool_->find("zero-sso-0001")->record.status, "expired");
  sim_->control("quota", R"({"sso":"zero-sso-0001","mode":"fast","remaining":30})");
  after_min_interval();
  pass();
  EXPECT_EQ(pool_->find("zero-sso-0001")->record.status, "active");
  EXPECT_TRUE(pool_->acquire(ModelRequirement::for_mode("fast")));
}

TEST_F(QuotaRefreshSim, StartRunsAFirstPassAtOnce) {
  account("first-pass-01", "heavy");
  pool_->add({"first-pass-01"}, Pool::kHeavy);
  refresher_->start();
  ASSERT_TRUE(
      eventually([&] { return pool_->find("first-pass-01")->record.detected_tier.has_value(); }));
  EXPECT_EQ(pool_->find("first-pass-01")->record.detected_tier, Tier::kHeavy);
}

}  // namespace
}  // namespace g2a::tokens::test
