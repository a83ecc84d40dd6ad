// Status changes for log-sink events: disabled, expired and recovered are each announced
// once per real transition, never for a failure on a token already out of service, and the
// event carries the masked SSO, the Pro token type and the reason.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/tokens/status_event.hpp"
#include "pool_helpers.hpp"

namespace g2a::tokens {
namespace {
using K = StatusChange::Kind;
using P = upstream::grok::Problem;
using test::failed;
using test::reading;

class StatusChanges : public ::testing::Test {
 protected:
  void SetUp() override {
    pool.set_status_listener([this](const StatusChange& c) { seen.push_back(c); });
  }
  test::FakeClock clock;
  TokenPool pool{nullptr, clock.fn()};
  std::vector<StatusChange> seen;
};

TEST_F(StatusChanges, BlockedDisablesOnceAndReAddingRecovers) {
  pool.add({"tok-blocked-0001"}, Pool::kSuper);
  for (int i = 0; i < 3; ++i)  // later reports (requests already in flight) change nothing
    pool.report("tok-blocked-0001", failed(P::kBlocked, 403, "fast", "User is blocked"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, K::kDisabled);
  EXPECT_EQ(seen[0].sso, "tok-blocked-0001");
  EXPECT_EQ(seen[0].reason, "User is blocked");
  pool.add({"tok-blocked-0001"}, Pool::kSuper);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].kind, K::kRecovered);
  pool.add({"tok-blocked-0001"}, Pool::kSuper);  // active already: no transition
  EXPECT_EQ(seen.size(), 2u);
}

TEST_F(StatusChanges, AuthFailuresExpireAtTheThirdOnly) {
  pool.add({"tok-auth"}, Pool::kNormal);
  for (int i = 0; i < 5; ++i)
    pool.report("tok-auth", failed(P::kUnauthenticated, 401, "fast", "Unauthenticated"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, K::kExpired);
  EXPECT_EQ(seen[0].pool, Pool::kNormal);
  EXPECT_NE(seen[0].reason.find("3 authentication failures"), std::string::npos) << seen[0].reason;
  // Blocked after expiring is still news: the account is now disabled.
  pool.report("tok-auth", failed(P::kBlocked, 403, "fast", "blocked"));
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].kind, K::kDisabled);
}

TEST_F(StatusChanges, RefreshVerdictsExpireAndRecoverOnce) {
  pool.add({"tok-zero"}, Pool::kNormal);
  pool.apply_quota("tok-zero", reading("fast", 0, 30));
  for (int i = 0; i < 5; ++i) pool.apply_refresh_verdict("tok-zero", 2);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, K::kExpired);
  EXPECT_EQ(seen[0].reason, "no quota left at 2 refreshes in a row");
  pool.apply_quota("tok-zero", reading("fast", 7, 30));
  pool.apply_refresh_verdict("tok-zero", 2);
  pool.apply_refresh_verdict("tok-zero", 2);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].kind, K::kRecovered);
  EXPECT_EQ(seen[1].reason, "quota read: 7 left");
}

TEST_F(StatusChanges, SuccessesCooldownsAndFaultsOfOthersAreNoTransition) {
  pool.add({"tok-fine"}, Pool::kSuper);
  pool.report("tok-fine", Outcome::success("fast"));
  pool.report("tok-fine", failed(P::kRateLimited, 429, "fast"));
  pool.report("tok-fine", failed(P::kUnauthenticated, 401, "fast"));  // 1 of 3
  pool.report("tok-fine", failed(P::kCloudflare, 403, "fast"));
  EXPECT_TRUE(seen.empty());
}

TEST(StatusEvent, CarriesTheMaskedSsoTypeAndReason) {
  StatusChange c{K::kDisabled, "eyJhbGciOiJIUzI1NiJ9.secret-part", Pool::kSuper, "blocked"};
  auto e = to_state_event(c);
  e.id = "00000000-0000-4000-8000-000000000000";
  e.timestamp = 1'760'000'000'000;
  auto v = boost::json::parse(calllog::to_json(e)).as_object();
  EXPECT_EQ(v.at("type"), "event");
  EXPECT_EQ(v.at("event"), "token.disabled");
  EXPECT_EQ(v.at("sso"), "eyJhbGciOi****");
  EXPECT_EQ(v.at("token_type"), "ssoSuper");
  EXPECT_EQ(v.at("reason"), "blocked");
  EXPECT_EQ(v.at("timestamp"), 1'760'000'000'000);
  EXPECT_FALSE(v.contains("sso_full"));
  EXPECT_FALSE(v.contains("proxy"));
  EXPECT_EQ(to_state_event({K::kExpired, "t", Pool::kNormal, ""}).event, "token.expired");
  EXPECT_EQ(to_state_event({K::kRecovered, "t", Pool::kHeavy, ""}).token_type, "ssoHeavy");
}

}  // namespace
}  // namespace g2a::tokens
