// The failure rules with a fake clock: 429 and usage limits cool a token down until its
// quota window says it is back; 401 counts and expires after 3; blocked disables at once;
// Cloudflare and anti-bot are not the token's fault; a success resets failedCount.
#include <gtest/gtest.h>

#include "pool_helpers.hpp"

namespace g2a::tokens {
namespace {
using test::failed;
using test::FakeClock;
using test::reading;
using P = upstream::grok::Problem;

class FailureRules : public ::testing::Test {
 protected:
  void SetUp() override {
    pool.set_quota_listener([this](const std::string& sso, const std::string& key) {
      wanted.push_back(sso + ":" + key);
    });
  }
  FakeClock clock;
  TokenPool pool{nullptr, clock.fn()};
  std::vector<std::string> wanted;
  ModelRequirement fast = ModelRequirement::for_mode("fast");
};

TEST_F(FailureRules, RateLimitCoolsDownForTheQuotaWindow) {
  pool.add({"tok"}, Pool::kSuper);
  pool.apply_quota("tok", reading("fast", 10, 140, 3600));
  wanted.clear();
  pool.report("tok", failed(P::kRateLimited, 429, "fast", "Too many requests"));
  EXPECT_FALSE(pool.acquire(fast));
  EXPECT_EQ(pool.next_available_ms(fast), clock.ms() + 3600 * 1000);
  EXPECT_EQ(wanted, std::vector<std::string>{"tok:fast"});  // a read will say when it is back
  const auto r = pool.find("tok")->record;
  EXPECT_EQ(r.failed_count, 0);  // not an authentication failure
  EXPECT_EQ(r.remaining_queries, 0);
  EXPECT_EQ(r.last_failure_reason, "429: Too many requests");
  clock.advance_s(3599);
  EXPECT_FALSE(pool.acquire(fast));
  clock.advance_s(1);
  EXPECT_TRUE(pool.acquire(fast));
}

TEST_F(FailureRules, AQuotaReadEndsTheCooldownEarly) {
  pool.add({"tok"}, Pool::kSuper);
  pool.report("tok", failed(P::kUsageLimit, 200, "fast", "You've reached your usage limit"));
  EXPECT_FALSE(pool.acquire(fast));
  pool.apply_quota("tok", reading("fast", 12, 140));
  EXPECT_TRUE(pool.acquire(fast));
}

TEST_F(FailureRules, AReadOfZeroCoolsUntilTheWaitTime) {
  pool.add({"tok"}, Pool::kSuper);
  auto r = reading("fast", 0, 140);
  r.back_at_ms = clock.ms() + 600 * 1000;
  pool.apply_quota("tok", r);
  EXPECT_EQ(pool.next_available_ms(fast), clock.ms() + 600 * 1000);
}

TEST_F(FailureRules, DefaultWindowsFollowTheTier) {
  pool.add({"basic"}, Pool::kNormal);
  pool.apply_quota("basic", reading("fast", 3, 30, 0));  // basic, but no window said
  pool.report("basic", failed(P::kRateLimited, 429, "fast"));
  EXPECT_EQ(pool.next_available_ms(fast), clock.ms() + 86400 * 1000);
  // Unknown tier: the pool's hint decides (ssoSuper: paid).
  pool.add({"paid"}, Pool::kSuper);
  pool.report("paid", failed(P::kRateLimited, 429, ""));  // no mode known: the whole token
  EXPECT_EQ(pool.next_available_ms(fast, {"basic"}), clock.ms() + 7200 * 1000);
  EXPECT_EQ(pool.find("paid")->record.cooldown_until_ms, clock.ms() + 7200 * 1000);
  // A media kind's window is a day.
  pool.report("paid", failed(P::kRateLimited, 429, "video720p"));
  EXPECT_EQ(pool.find("paid")->record.quotas.at("video720p").cooldown_until_ms,
            clock.ms() + 86400 * 1000);
}

TEST_F(FailureRules, UsageLimitOnOneModeLeavesTheOthers) {
  pool.add({"tok"}, Pool::kSuper);
  pool.apply_quota("tok", reading("fast", 100, 140));
  pool.apply_quota("tok", reading("expert", 10, 50));
  pool.report("tok", failed(P::kUsageLimit, 0, "expert"));
  EXPECT_FALSE(pool.acquire(ModelRequirement::for_mode("expert")));
  EXPECT_TRUE(pool.acquire(fast));
}

TEST_F(FailureRules, ThreeAuthenticationFailuresExpire) {
  pool.add({"tok"}, Pool::kNormal);
  pool.report("tok", failed(P::kUnauthenticated, 401, "fast", "Unauthenticated"));
  pool.report("tok", failed(P::kUnauthenticated, 401, "fast", "Unauthenticated"));
  EXPECT_EQ(pool.find("tok")->record.failed_count, 2);
  EXPECT_TRUE(pool.acquire(fast));
  pool.report("tok", failed(P::kUnauthenticated, 401, "fast", "Unauthenticated"));
  const auto r = pool.find("tok")->record;
  EXPECT_EQ(r.status, "expired");
  EXPECT_EQ(r.last_failure_reason, "401: Unauthenticated");
  EXPECT_EQ(r.last_failure_time, clock.ms());
  EXPECT_FALSE(pool.acquire(fast));
  EXPECT_FALSE(pool.next_available_ms(fast));
}

TEST_F(FailureRules, SuccessResetsTheFailureCount) {
  pool.add({"tok"}, Pool::kNormal);
  pool.apply_quota("tok", reading("fast", 10, 30, 86400));
  pool.report("tok", failed(P::kUnauthenticated, 401, "fast"));
  pool.report("tok", failed(P::kUnauthenticated, 401, "fast"));
  wanted.clear();
  pool.report("tok", Outcome::success("fast"));
  const auto r = pool.find("tok")->record;
  EXPECT_EQ(r.failed_count, 0);
  EXPECT_FALSE(r.last_failure_reason);
  EXPECT_EQ(r.quotas.at("fast").remaining, 9);  // our estimate until the next read
  EXPECT_EQ(wanted, std::vector<std::string>{"tok:fast"});
}

TEST_F(FailureRules, BlockedDisablesAtOnceWithTheReason) {
  pool.add({"tok"}, Pool::kNormal);
  pool.report("tok", failed(P::kBlocked, 403, "fast",
                            "7: User is blocked [WKE=unauthorized:blocked-user]"));
  const auto r = pool.find("tok")->record;
  EXPECT_EQ(r.status, "expired");
  EXPECT_EQ(r.disabled_reason, "7: User is blocked [WKE=unauthorized:blocked-user]");
  EXPECT_FALSE(pool.acquire(fast));
}

TEST_F(FailureRules, ProxyAndSignerProblemsAreNotTheTokensFault) {
  pool.add({"tok"}, Pool::kNormal);
  for (auto p : {P::kCloudflare, P::kAntiBot, P::kPageOutOfDate, P::kTransport, P::kServerError,
                 P::kRejected, P::kModerated})
    for (int i = 0; i < 4; ++i) pool.report("tok", failed(p, 403, "fast", "no"));
  const auto r = pool.find("tok")->record;
  EXPECT_EQ(r.failed_count, 0);
  EXPECT_EQ(r.status, "active");
  EXPECT_FALSE(r.last_failure_reason);
  EXPECT_TRUE(pool.acquire(fast));
}

TEST_F(FailureRules, ModeNotAllowedMarksTheModeAndTheTier) {
  pool.add({"tok"}, Pool::kSuper);
  pool.report("tok", failed(P::kAntiBot, 403, "expert",
                            "7: Mode not allowed [WKE=unauthorized:mode-not-allowed]"));
  const auto r = pool.find("tok")->record;
  EXPECT_FALSE(r.quotas.at("expert").available);
  EXPECT_EQ(r.detected_tier, Tier::kBasic);
  EXPECT_FALSE(pool.acquire(ModelRequirement::for_mode("expert")));
  EXPECT_TRUE(pool.acquire(fast));
}

TEST_F(FailureRules, QuotaReadFailuresDoNotAskForMoreReads) {
  pool.add({"tok"}, Pool::kNormal);
  wanted.clear();
  auto o = failed(P::kRateLimited, 429, "fast");
  o.quota_read = true;
  pool.report("tok", o);
  EXPECT_TRUE(wanted.empty());
}

TEST_F(FailureRules, PickingATokenOfUnknownTierAsksForItsQuota) {
  pool.add({"tok"}, Pool::kNormal);
  wanted.clear();
  pool.acquire(ModelRequirement::for_mode("expert"));
  EXPECT_EQ(wanted, std::vector<std::string>{"tok:fast"});
  pool.apply_quota("tok", reading("fast", 100, 140));
  wanted.clear();
  pool.acquire(ModelRequirement::for_mode("expert"));
  EXPECT_TRUE(wanted.empty());
}

TEST_F(FailureRules, RefreshVerdictZeroCountExpiresAndQuotaReactivates) {
  pool.add({"tok"}, Pool::kNormal);
  pool.apply_quota("tok", reading("fast", 0, 30, 86400));
  pool.apply_refresh_verdict("tok", 2);
  EXPECT_EQ(pool.find("tok")->record.zero_count, 1);
  EXPECT_EQ(pool.find("tok")->record.status, "active");
  pool.apply_refresh_verdict("tok", 2);
  EXPECT_EQ(pool.find("tok")->record.status, "expired");
  pool.report("tok", failed(P::kUnauthenticated, 401, "fast"));
  pool.apply_quota("tok", reading("fast", 30, 30, 86400));
  pool.apply_refresh_verdict("tok", 2);
  const auto r = pool.find("tok")->record;
  EXPECT_EQ(r.status, "active");
  EXPECT_EQ(r.zero_count, 0);
  EXPECT_EQ(r.failed_count, 0);
  EXPECT_FALSE(r.last_failure_reason);
}

TEST_F(FailureRules, SuperAccountsCountTheBetterOfNormalAndHeavy) {
  pool.add({"tok"}, Pool::kSuper);
  pool.apply_quota("tok", reading("fast", 0, 400));
  pool.apply_quota("tok", reading("heavy", 5, 20));
  pool.apply_refresh_verdict("tok", 1);
  EXPECT_EQ(pool.find("tok")->record.status, "active");
}

TEST_F(FailureRules, AddingAgainResetsTheStats) {
  pool.add({"tok"}, Pool::kNormal);
  pool.report("tok", failed(P::kBlocked, 403, "fast"));
  pool.set_tags("tok", {"x"});
  clock.advance_s(10);
  pool.add({" tok "}, Pool::kNormal);
  const auto r = pool.find("tok")->record;
  EXPECT_EQ(r.status, "active");
  EXPECT_TRUE(r.disabled_reason.empty());
  EXPECT_TRUE(r.tags.empty());
  EXPECT_EQ(r.created_time, clock.ms());
  EXPECT_EQ(pool.size(), 1u);
}

TEST_F(FailureRules, AddingToAnotherPoolMovesTheToken) {
  pool.add({"tok"}, Pool::kNormal);
  pool.add({"tok"}, Pool::kSuper);
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool.find("tok")->pool, Pool::kSuper);
  EXPECT_EQ(pool.remove({"tok"}, Pool::kNormal), 0u);
  EXPECT_EQ(pool.remove({"tok"}, Pool::kSuper), 1u);
  EXPECT_EQ(pool.size(), 0u);
}

}  // namespace
}  // namespace g2a::tokens
