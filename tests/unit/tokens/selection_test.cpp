// Selection per model: eligible tiers only, unknown quota first, then the most remaining,
// in-flight aware (spec §3.2 with the changes).
#include <gtest/gtest.h>

#include "pool_helpers.hpp"

namespace g2a::tokens {
namespace {
using test::FakeClock;
using test::reading;

class Selection : public ::testing::Test {
 protected:
  FakeClock clock;
  TokenPool pool{nullptr, clock.fn()};
};

TEST_F(Selection, UnknownQuotaFirstThenMostRemaining) {
  pool.add({"tok-a", "tok-b", "tok-c"}, Pool::kNormal);
  pool.apply_quota("tok-a", reading("fast", 10, 140));
  pool.apply_quota("tok-c", reading("fast", 50, 140));
  auto fast = ModelRequirement::for_mode("fast");
  {
    auto l = pool.acquire(fast);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->sso(), "tok-b");  // never read: Pro's "unused first"
  }
  pool.apply_quota("tok-b", reading("fast", 5, 140));
  auto l = pool.acquire(fast);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->sso(), "tok-c");
  EXPECT_EQ(l->quota_key(), "fast");
}

TEST_F(Selection, ConcurrentRequestsSpreadAcrossTokens) {
  pool.add({"tok-a", "tok-b", "tok-c"}, Pool::kNormal);
  auto fast = ModelRequirement::for_mode("fast");
  std::vector<Lease> held;
  std::set<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    auto l = pool.acquire(fast);
    ASSERT_TRUE(l);
    seen.insert(l->sso());
    held.push_back(std::move(*l));
  }
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(pool.find("tok-a")->in_flight, 1);
  held.clear();
  EXPECT_EQ(pool.find("tok-a")->in_flight, 0);
}

TEST_F(Selection, InFlightBeatsRemainingButNotAnEmptyToken) {
  pool.add({"tok-a", "tok-b"}, Pool::kNormal);
  pool.apply_quota("tok-a", reading("fast", 100, 140));
  pool.apply_quota("tok-b", reading("fast", 1, 140));
  auto fast = ModelRequirement::for_mode("fast");
  auto first = pool.acquire(fast);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->sso(), "tok-a");
  auto second = pool.acquire(fast);
  EXPECT_EQ(second->sso(), "tok-b");  // spreads
  auto third = pool.acquire(fast);
  EXPECT_EQ(third->sso(), "tok-a");  // tok-b's last query is already in flight
}

TEST_F(Selection, TiersAreEnforcedOnlyOnceKnown) {
  pool.add({"basic", "mystery"}, Pool::kNormal);
  pool.apply_quota("basic", reading("fast", 30, 30, 86400));
  EXPECT_EQ(pool.find("basic")->record.detected_tier, Tier::kBasic);
  auto expert = ModelRequirement::for_mode("expert");
  auto l = pool.acquire(expert);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->sso(), "mystery");  // unknown tier: eligible for every model
  auto none = pool.acquire(expert, {"mystery"});
  EXPECT_FALSE(none);
  EXPECT_FALSE(pool.next_available_ms(expert, {"mystery"}));
}

// A long video: a free account of unknown tier would be refused upstream (429) and cooled
// down for nothing, so the request takes the pool's word for the tier.
TEST_F(Selection, TierFromPoolWhenTheRequestSaysSo) {
  pool.add({"normal-unknown"}, Pool::kNormal);
  pool.add({"super-unknown"}, Pool::kSuper);
  auto long_video = ModelRequirement::for_media("video");
  long_video.tiers = {Tier::kSuper, Tier::kHeavy};
  long_video.tier_from_pool = true;
  auto l = pool.acquire(long_video);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->sso(), "super-unknown");
  EXPECT_FALSE(pool.acquire(long_video, {"super-unknown"}));
  // A detected tier still wins over the pool.
  pool.apply_quota("normal-unknown", reading("fast", 140, 140));
  EXPECT_TRUE(pool.acquire(long_video, {"super-unknown"}));
}

TEST_F(Selection, PoolKeyIsOnlyAHint) {
  pool.add({"in-normal"}, Pool::kNormal);
  pool.apply_quota("in-normal", reading("fast", 400, 400));
  EXPECT_EQ(pool.find("in-normal")->record.detected_tier, Tier::kHeavy);
  auto heavy = pool.acquire(ModelRequirement::for_mode("heavy"));
  ASSERT_TRUE(heavy);
  EXPECT_EQ(heavy->tier(), Tier::kHeavy);
}

TEST_F(Selection, UnavailableMediaKindIsSkipped) {
  pool.add({"tok-a", "tok-b"}, Pool::kNormal);
  QuotaReading none;
  none.key = "video";
  none.available = false;
  pool.apply_quota("tok-a", none);
  auto video = ModelRequirement::for_media("video");
  auto l = pool.acquire(video);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->sso(), "tok-b");
  EXPECT_EQ(l->quota_key(), "video");
}

TEST_F(Selection, ExpiredDisabledAndFailingTokensAreSkipped) {
  pool.add({"a", "b", "c", "d"}, Pool::kNormal);
  using P = upstream::grok::Problem;
  for (int i = 0; i < 3; ++i) pool.report("a", test::failed(P::kUnauthenticated, 401, "fast"));
  pool.report("b", test::failed(P::kBlocked, 403, "fast", "User is blocked"));
  pool.apply_quota("c", reading("fast", 0, 30, 86400));
  auto l = pool.acquire(ModelRequirement::for_mode("fast"));
  ASSERT_TRUE(l);
  EXPECT_EQ(l->sso(), "d");
  EXPECT_FALSE(pool.acquire(ModelRequirement::for_mode("fast"), {"d"}));
}

TEST_F(Selection, ReAddingDuringALeaseResetsTheCount) {
  pool.add({"tok"}, Pool::kNormal);
  auto l = pool.acquire(ModelRequirement::for_mode("fast"));
  ASSERT_TRUE(l);
  pool.add({"tok"}, Pool::kNormal);  // overwrite: stats reset
  auto again = pool.acquire(ModelRequirement::for_mode("fast"));
  ASSERT_TRUE(again);
  l.reset();  // the old lease must not release the new one's hold
  EXPECT_EQ(pool.find("tok")->in_flight, 1);
}

TEST_F(Selection, NoTokensNoLease) {
  EXPECT_FALSE(pool.acquire(ModelRequirement::for_mode("fast")));
  EXPECT_FALSE(pool.next_available_ms(ModelRequirement::for_mode("fast")));
}

}  // namespace
}  // namespace g2a::tokens
